package dev.zdm.jobs;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs zdm's background jobs in this process: {@code parallelism} worker threads, each of which
 * <ol>
 *   <li>plans jobs whose dependencies are COMPLETED ({@link JobPlanner}),</li>
 *   <li>claims one free slice with a fenced lease ({@link SliceLease#claim}),</li>
 *   <li>works it ({@link SliceWorker}) until it is done, paused, lost or the runner stops,</li>
 *   <li>and otherwise sleeps for the poll interval.</li>
 * </ol>
 * Any number of processes may run one: leases and {@code SKIP LOCKED} keep them off each other's slices, and
 * a crashed process's lease expires for another to resume. {@link #close()} finishes the current batch and
 * releases the lease.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** After a failed round: 1 s, 2 s, 4 s, ... up to 30 s. */
    private static final Backoff FAILURE_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final DataSource dataSource;
    private final JobSettings settings;
    private final JobListener listener;
    private final List<BackfillThrottle> throttles;
    private final String owner;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();

    public JobRunner(DataSource dataSource, JobSettings settings, JobListener listener, List<BackfillThrottle> throttles) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listener = listener == null ? JobListener.NONE : listener;
        this.throttles = List.copyOf(throttles);
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts the worker threads (daemon threads named {@code zdm-jobs-N}). */
    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
        } catch (SQLException e) {
            log.warn("zdm: could not create the job tables yet ({}); the runner will retry", e.getMessage());
        }
        for (int i = 0; i < Math.max(1, settings.parallelism()); i++) {
            String name = owner + "#" + i;
            Thread worker = new Thread(() -> loop(name), "zdm-jobs-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        log.info("zdm: job runner {} started with {} worker(s)", owner, workers.size());
    }

    private void loop(String workerName) {
        int failures = 0;
        while (!stopping.get()) {
            try {
                boolean worked = runOnce(workerName);
                failures = 0;
                if (!worked) {
                    Backoff.sleep(settings.pollInterval(), stopping::get);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures++;
                log.warn("zdm: job runner {} failed ({}); retrying", workerName, e.getMessage(), failures == 1 ? e : null);
                try {
                    Backoff.sleep(FAILURE_BACKOFF.delay(failures), stopping::get);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One round: plan, claim one slice and work it. Returns whether there was work. Public for tests and tools. */
    public boolean runOnce(String workerName) throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
            JobPlanner.planReady(connection, Math.max(1, settings.parallelism()));
            SliceLease lease = SliceLease.claim(connection, workerName, settings.lease());
            if (lease == null) {
                return false;
            }
            new SliceWorker(dataSource, settings, listener, throttles, stopping::get).run(connection, lease);
            return true;
        }
    }

    /** Runs until no job has work left (or {@code timeout} passes); for tests and one-shot tools. */
    public void drain(Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && runOnce(owner + "#drain")) {
            // keep going
        }
    }

    public String owner() {
        return owner;
    }

    /** Stops after the current batch of every worker and releases their leases. */
    @Override
    public void close() {
        stopping.set(true);
        for (Thread worker : workers) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("zdm: job runner {} stopped", owner);
    }
}
