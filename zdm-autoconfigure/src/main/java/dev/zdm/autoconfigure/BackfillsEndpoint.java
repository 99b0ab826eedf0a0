package dev.zdm.autoconfigure;

import dev.zdm.ZdmException;
import dev.zdm.columnchange.ColumnChangeOverview;
import dev.zdm.jobs.JobPhases;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/backfills}: every zdm job (not only backfills), one job, and — only where the application grants
 * write access ({@code management.endpoint.backfills.access=unrestricted}) — pause, resume, cancel and retry.
 * The list also carries each column change with its step ({@code columnChanges}) and whether this endpoint takes writes
 * ({@code writable}), as Boot's own access resolution decides it, so a page shows buttons only where they work.
 */
@Endpoint(id = "backfills", defaultAccess = Access.READ_ONLY)
public class BackfillsEndpoint {

    /** The column changes listed: the active ones and the most recently contracted. */
    static final int COLUMN_CHANGES_SHOWN = 20;

    private final Jobs jobs;

    private final DataSource dataSource;

    private final BooleanSupplier writable;

    /** An endpoint without column changes, that says it is read-only. */
    public BackfillsEndpoint(Jobs jobs) {
        this(jobs, null, () -> false);
    }

    public BackfillsEndpoint(Jobs jobs, DataSource dataSource, BooleanSupplier writable) {
        this.jobs = jobs;
        this.dataSource = dataSource;
        this.writable = writable;
    }

    @ReadOperation
    public Map<String, Object> backfills() {
        List<JobView> views = jobs.list();
        Map<String, String> phases = dataSource == null ? Map.of() : JobPhases.running(dataSource);
        Map<String, JobState> states = new LinkedHashMap<>();
        views.forEach(v -> states.put(v.name(), v.state()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("backfills", views.stream().map(v -> JobDescriptor.of(v, phases.get(v.name()), states)).toList());
        body.put("columnChanges", dataSource == null ? List.of()
                : ColumnChangeOverview.list(dataSource, states, COLUMN_CHANGES_SHOWN).stream().map(ColumnChangeDescriptor::of).toList());
        body.put("writable", writable.getAsBoolean());
        return body;
    }

    @ReadOperation
    public JobDescriptor backfill(@Selector String name) {
        return jobs.get(name).map(v -> JobDescriptor.of(v, dataSource == null ? null : JobPhases.running(dataSource).get(name),
                Map.of())).orElse(null);
    }

    /**
     * {@code {"action": "pause" | "resume" | "cancel" | "retry"}}: the job as it is now, or a body that says why not —
     * 400 for an action that does not exist, 404 for a job that does not, 409 for an action the job's state refuses.
     */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String name, String action) {
        try {
            JobView view = switch (action == null ? "" : action) {
                case "pause" -> jobs.pause(name);
                case "resume" -> jobs.resume(name);
                case "cancel" -> jobs.cancel(name);
                case "retry" -> jobs.retry(name);
                default -> null;
            };
            if (view == null) {
                return refusal(WebEndpointResponse.STATUS_BAD_REQUEST, "action must be pause, resume, cancel or retry, not '"
                        + action + "'");
            }
            return new WebEndpointResponse<>(JobDescriptor.of(view), WebEndpointResponse.STATUS_OK);
        } catch (dev.zdm.jobs.NoSuchJobException e) {
            return refusal(WebEndpointResponse.STATUS_NOT_FOUND, e.getMessage());
        } catch (ZdmException e) {
            return refusal(409, e.getMessage());
        }
    }

    private static WebEndpointResponse<Object> refusal(int status, String message) {
        return new WebEndpointResponse<>(Map.of("error", message), status);
    }

    /**
     * One job as the endpoint shows it (DESIGN.md's field names), plus what a RUNNING job is doing ({@code phase}),
     * the seconds left ({@code etaSeconds}, beside the ISO-8601 {@code eta}) and the jobs it still waits for
     * ({@code waitingFor}: those it depends on that are not COMPLETED; empty in a one-job answer).
     */
    public record JobDescriptor(String name, String kind, String table, String state, long rowsDone, long rowsTotalEstimate,
            double percent, Long rowsPerSecond, String eta, Integer batchSize, String lastError, Instant updatedAt,
            long rejectedRows, List<String> rejectedSamples, List<String> dependsOn, String phase, Long etaSeconds,
            List<String> waitingFor) {

        static JobDescriptor of(JobView v) {
            return of(v, null, Map.of());
        }

        static JobDescriptor of(JobView v, String phase, Map<String, JobState> states) {
            return new JobDescriptor(v.name(), v.kind().name(), v.table(), v.state().name(), v.rowsDone(),
                    v.rowsTotalEstimate(), Math.round(v.percent() * 10) / 10.0, v.rowsPerSecond() == null ? null : Math.round(v.rowsPerSecond()),
                    v.eta() == null ? null : v.eta().toString(), v.batchSize(), v.lastError(), v.updatedAt(), v.rejectedRows(),
                    v.rejectedSamples(), v.dependsOn(), phase, v.eta() == null ? null : v.eta().toSeconds(),
                    v.dependsOn().stream().filter(d -> states.containsKey(d) && states.get(d) != JobState.COMPLETED).toList());
        }
    }

    /** One column change: {@code step} is EXPANDED, JOBS, READY_FOR_CUTOVER, CUT_OVER or CONTRACTED. */
    public record ColumnChangeDescriptor(String table, String column, String shadow, String from, String to, String step,
            List<String> jobs, Instant updatedAt) {

        static ColumnChangeDescriptor of(ColumnChangeOverview c) {
            return new ColumnChangeDescriptor(c.table(), c.column(), c.shadow(), c.from(), c.to(), c.step().name(), c.jobs(),
                    c.updatedAt());
        }
    }
}
