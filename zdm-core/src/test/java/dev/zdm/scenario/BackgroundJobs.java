package dev.zdm.scenario;

import dev.zdm.jobs.JobKind;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * zdm's job runner as an application runs it, in the background while the workload writes, on connections named
 * {@value #APPLICATION_NAME} so a fault can terminate exactly them. Throttled to about the table's size per second so
 * the backfill overlaps the workload.
 */
final class BackgroundJobs implements AutoCloseable {

    static final String APPLICATION_NAME = "zdm-scenario-runner";

    private final Scenario s;
    private final DataSource dataSource;
    private final Jobs jobs;
    private final Consumer<String> trace;
    private JobRunner runner;
    private boolean terminated;

    BackgroundJobs(Scenario s, TestDatabase db, Consumer<String> trace) {
        this.s = s;
        PGSimpleDataSource named = new PGSimpleDataSource();
        named.setURL(db.jdbcUrl());
        named.setUser(db.user());
        if (db.password() != null) {
            named.setPassword(db.password());
        }
        named.setApplicationName(APPLICATION_NAME);
        this.dataSource = named;
        this.jobs = new Jobs(db.dataSource());
        this.trace = trace;
    }

    JobSettings settings() {
        return JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50)).withLease(Duration.ofSeconds(3))
                .withParallelism(s.slices()).withBatch(s.batchSize(), Duration.ofMillis(50))
                .withMaxRowsPerSecond(Math.max(300, s.rows()));
    }

    void start() {
        if (runner == null) {
            runner = new JobRunner(dataSource, settings(), JobListener.NONE, List.of());
            runner.start();
        }
    }

    /** The scenario table's jobs. */
    List<JobView> tableJobs() {
        return jobs.list().stream().filter(j -> s.table().equals(j.table()) || j.table().endsWith("." + s.table())).toList();
    }

    /**
     * Waits until every job of the table has completed, or one has failed (or {@code timeout}); with TERMINATE_RUNNER, terminates the runner's
     * connections once the backfill has made progress, and starts a new runner. Returns the jobs' final states.
     */
    String awaitPipeline(Duration timeout, Connection admin) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JobView> views = tableJobs();
        while (System.nanoTime() < deadline) {
            views = tableJobs();
            if (s.has(Fault.TERMINATE_RUNNER) && !terminated && views.stream().anyMatch(j -> j.kind() == JobKind.BACKFILL
                    && j.state() == JobState.RUNNING && j.rowsDone() > 0)) {
                terminate(admin);
            }
            boolean allDone = !views.isEmpty() && views.stream().allMatch(j -> j.state() == JobState.COMPLETED);
            boolean anyFailed = views.stream().anyMatch(j -> j.state() == JobState.FAILED || j.state() == JobState.CANCELLED);
            if (allDone || anyFailed) {
                return states(views); // a failed job's dependents never run: the cutover must refuse now
            }
            Thread.sleep(50);
        }
        return "TIMED OUT after " + timeout.toSeconds() + " s: " + states(views);
    }

    private void terminate(Connection admin) throws SQLException {
        terminated = true;
        int killed;
        try (Statement statement = admin.createStatement(); var rs = statement.executeQuery("SELECT count(pg_terminate_backend(pid))"
                + " FROM pg_stat_activity WHERE application_name = '" + APPLICATION_NAME + "' AND datname = current_database()")) {
            rs.next();
            killed = rs.getInt(1);
        }
        runner.close();
        runner = null;
        trace.accept("fault: terminated " + killed + " job runner connection(s) mid-backfill; started a new runner");
        start();
    }

    static String states(List<JobView> views) {
        StringBuilder out = new StringBuilder();
        for (JobView view : views) {
            out.append(out.length() == 0 ? "" : ", ").append(view.name()).append('=').append(view.state());
            if (view.lastError() != null) {
                out.append(" (").append(view.lastError()).append(')');
            }
        }
        return out.toString();
    }

    /** Cancels what is left of the table's jobs, so later scenarios' runners do not work on them. */
    void cancelLeftovers() {
        for (JobView view : tableJobs()) {
            if (view.state().runnable() || view.state() == JobState.PAUSED) {
                try {
                    jobs.cancel(view.name());
                } catch (RuntimeException ignored) {
                    // it ended meanwhile
                }
            }
        }
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
            runner = null;
        }
    }
}
