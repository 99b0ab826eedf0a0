package dev.zdm.autoconfigure;

import dev.zdm.ZdmException;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 */
@Endpoint(id = "backfills", defaultAccess = Access.READ_ONLY)
public class BackfillsEndpoint {

    private final Jobs jobs;

    public BackfillsEndpoint(Jobs jobs) {
        this.jobs = jobs;
    }

    @ReadOperation
    public Map<String, List<JobDescriptor>> backfills() {
        return Map.of("backfills", jobs.list().stream().map(JobDescriptor::of).toList());
    }

    @ReadOperation
    public JobDescriptor backfill(@Selector String name) {
        return jobs.get(name).map(JobDescriptor::of).orElse(null);
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

    /** One job as the endpoint shows it (DESIGN.md's field names). */
    public record JobDescriptor(String name, String kind, String table, String state, long rowsDone, long rowsTotalEstimate,
            double percent, Long rowsPerSecond, String eta, Integer batchSize, String lastError, Instant updatedAt,
            long rejectedRows, List<String> rejectedSamples, List<String> dependsOn) {

        static JobDescriptor of(JobView v) {
            return new JobDescriptor(v.name(), v.kind().name(), v.table(), v.state().name(), v.rowsDone(),
                    v.rowsTotalEstimate(), Math.round(v.percent() * 10) / 10.0, v.rowsPerSecond() == null ? null : Math.round(v.rowsPerSecond()),
                    v.eta() == null ? null : v.eta().toString(), v.batchSize(), v.lastError(), v.updatedAt(), v.rejectedRows(),
                    v.rejectedSamples(), v.dependsOn());
        }
    }
}
