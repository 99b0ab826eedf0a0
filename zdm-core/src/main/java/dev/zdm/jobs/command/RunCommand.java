package dev.zdm.jobs.command;

import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@code jobs run [--until-done] [--parallelism N]}: the application's {@link JobRunner}, in this process.
 *
 * <ol>
 *   <li>Start the runner with the default settings ({@code --parallelism} worker threads and slices per backfill).</li>
 *   <li>Every second, print the running jobs' progress: one line rewritten in place on a terminal, a line every ten
 *       seconds otherwise (CI logs).</li>
 *   <li>With {@code --until-done}, stop once no job can make progress: each one COMPLETED, FAILED, CANCELLED or PAUSED, or
 *       PENDING behind such a job; without it, run until the process is stopped.</li>
 *   <li>Stop the runner (finishing its current batches, releasing its leases) and print a line per job.</li>
 * </ol>
 * Exit code 0 when every job ended COMPLETED or CANCELLED, 1 when a job FAILED or is left paused or blocked.
 */
final class RunCommand {

    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int LOG_EVERY_TICKS = 10;

    private final DataSource dataSource;
    private final PrintStream out;
    private final boolean terminal;

    RunCommand(DataSource dataSource, PrintStream out, boolean terminal) {
        this.dataSource = dataSource;
        this.out = out;
        this.terminal = terminal;
    }

    int run(boolean untilDone, int parallelism) throws InterruptedException {
        JobSettings settings = JobSettings.defaults();
        if (parallelism > 0) {
            settings = settings.withParallelism(parallelism);
        }
        Jobs jobs = new Jobs(dataSource);
        long started = System.nanoTime();
        try (JobRunner runner = new JobRunner(dataSource, settings, JobListener.NONE, List.of())) {
            Thread stopOnSignal = new Thread(runner::close, "zdm-jobs-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            runner.start();
            out.println("zdm: running jobs with " + Math.max(1, settings.parallelism()) + " worker(s)"
                    + (untilDone ? " until none has work left" : "; stop with Ctrl-C"));
            for (int tick = 1;; tick++) {
                Thread.sleep(TICK.toMillis());
                List<JobView> all = jobs.list();
                if (terminal || tick % LOG_EVERY_TICKS == 0) {
                    progress(all, started);
                }
                if (untilDone && !anyCanProgress(all)) {
                    break;
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook stops the runner
            }
        }
        if (terminal) {
            out.println();
        }
        List<JobView> end = jobs.list();
        out.println("zdm: " + end.size() + " job(s) after " + Durations.human(Duration.ofNanos(System.nanoTime() - started)) + ":");
        end.forEach(job -> out.println("  " + JobTable.summary(job)));
        boolean ok = end.stream().allMatch(j -> j.state() == JobState.COMPLETED || j.state() == JobState.CANCELLED);
        if (!ok) {
            out.println("zdm: not every job completed; see zdm-cli jobs show NAME, then retry or resume it");
        }
        return ok ? 0 : 1;
    }

    private void progress(List<JobView> all, long started) {
        String running = all.stream().filter(j -> j.state() == JobState.RUNNING).map(JobView::progressLine)
                .collect(Collectors.joining(" | "));
        long done = all.stream().filter(j -> j.state() == JobState.COMPLETED).count();
        String line = String.format("[%s] %d/%d done%s", Durations.human(Duration.ofNanos(System.nanoTime() - started)), done,
                all.size(), running.isEmpty() ? "" : " | " + running);
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** Whether some job is running, or pending behind jobs that may still complete. */
    static boolean anyCanProgress(List<JobView> all) {
        Map<String, JobView> byName = new HashMap<>();
        all.forEach(j -> byName.put(j.name(), j));
        Map<String, Boolean> memo = new HashMap<>();
        return all.stream().anyMatch(j -> j.state() != JobState.COMPLETED && mayComplete(j.name(), byName, memo));
    }

    private static boolean mayComplete(String name, Map<String, JobView> byName, Map<String, Boolean> memo) {
        Boolean known = memo.get(name);
        if (known != null) {
            return known;
        }
        memo.put(name, false); // a dependency cycle never completes
        JobView job = byName.get(name);
        boolean may = job != null && (job.state() == JobState.COMPLETED || job.state() == JobState.RUNNING
                || job.state() == JobState.PENDING && job.dependsOn().stream().allMatch(d -> mayComplete(d, byName, memo)));
        memo.put(name, may);
        return may;
    }
}
