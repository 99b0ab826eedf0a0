package dev.zdm.jobs.command;

import dev.zdm.ZdmException;
import dev.zdm.jobs.JobAction;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.jobs.NoSuchJobException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code jobs list|show|run|pause|resume|cancel|retry|wait --url JDBC [--username U] [--password P]}, shared by the CLI
 * and the Maven plugin: zdm's background jobs without Spring. The password may also come from {@code ZDM_PASSWORD}.
 * Exit codes: 0 done (or ready), 1 not ready, failed or refused, 2 usage (nothing was read or changed).
 */
public final class JobsCommand {

    public static final String USAGE = "usage: jobs COMMAND --url JDBC [--username U] [--password P] (password also from"
            + " ZDM_PASSWORD), where COMMAND is: list | show NAME | run [--until-done] [--parallelism N]"
            + " | pause NAME | resume NAME | cancel NAME | retry NAME | wait --ready TABLE.COLUMN [--timeout 30m]";

    public static final int OK = 0;
    public static final int NOT_READY = 1;
    public static final int USAGE_ERROR = 2;

    private static final Duration WAIT_POLL = Duration.ofSeconds(1);

    private JobsCommand() {
    }

    /** Runs {@code args} (the words after {@code jobs}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err, System.console() != null);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment and whether out is a terminal given. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        JobsOptions options;
        try {
            options = JobsOptions.parse(args, env);
        } catch (UsageException e) {
            err.println("zdm jobs: " + e.getMessage() + ". " + USAGE);
            return USAGE_ERROR;
        }
        DataSource dataSource = new DriverDataSource(options.url(), options.username(), options.password());
        try {
            try (Connection probe = dataSource.getConnection()) {
                probe.isValid(5);
            }
            return execute(options, dataSource, out, err, terminal);
        } catch (SQLException e) {
            err.println("zdm jobs: cannot reach " + options.url() + ": " + e.getMessage());
            return NOT_READY;
        } catch (NoSuchJobException e) {
            err.println(e.getMessage() + " (see zdm-cli jobs list)");
            return NOT_READY;
        } catch (ZdmException e) {
            err.println(e.getMessage());
            return NOT_READY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("zdm jobs: interrupted");
            return NOT_READY;
        }
    }

    private static int execute(JobsOptions options, DataSource dataSource, PrintStream out, PrintStream err, boolean terminal)
            throws SQLException, InterruptedException {
        Jobs jobs = new Jobs(dataSource);
        switch (options.command()) {
            case LIST:
                JobTable.list(jobs.list(), out);
                return OK;
            case SHOW:
                Optional<JobView> job = jobs.get(options.argument());
                if (job.isEmpty()) {
                    throw new NoSuchJobException(options.argument());
                }
                JobTable.show(job.get(), out);
                return OK;
            case RUN:
                return new RunCommand(dataSource, out, terminal).run(options.untilDone(), options.parallelism());
            case WAIT:
                return waitReady(new ExpandReadiness(dataSource, options.argument()), options.timeout(), out, err);
            default:
                JobAction action = JobAction.valueOf(options.command().name());
                JobView after = action.apply(jobs, options.argument());
                out.println("zdm: job " + after.name() + " is " + after.state() + " (" + action.word() + ")");
                return OK;
        }
    }

    private static int waitReady(ExpandReadiness readiness, Duration timeout, PrintStream out, PrintStream err)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            ExpandReadiness.Result result = readiness.check();
            switch (result.status()) {
                case READY:
                    out.println("zdm: ready: " + result.message());
                    return OK;
                case STUCK:
                    err.println("zdm: not ready: " + result.message());
                    return NOT_READY;
                default:
                    break;
            }
            String states = result.message().replaceAll(", \\d+%", ""); // a line when a job's state changes, not its percent
            if (!states.equals(last)) {
                out.println("zdm: " + readiness.target() + ": " + result.message());
                last = states;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                err.println("zdm: not ready: the expand pipeline of " + readiness.target() + " is not COMPLETED after "
                        + Durations.human(timeout) + " (" + result.message() + "). Run its jobs (the application with"
                        + " zdm.jobs.enabled, or zdm-cli jobs run --until-done) and wait again");
                return NOT_READY;
            }
            Thread.sleep(Math.min(WAIT_POLL.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }
}
