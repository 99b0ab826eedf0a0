package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one claimed slice until it is done, its job is paused or cancelled, its lease is lost, or the runner stops.
 *
 * <ol>
 *   <li>INDEX, VALIDATE and ANALYZE jobs run their one statement ({@link StatementJob}).</li>
 *   <li>A backfill runs batches ({@link BackfillBatch}), each one transaction: the copy pass, then the verify pass;
 *       the slice is done after a verify pass. A value that does not convert makes the batch go row by row
 *       ({@link RowByRowBatch}).</li>
 *   <li>Before every batch the throttles run; after it the pace is kept and the batch size adapts towards the target
 *       batch time ({@link BatchPacing}).</li>
 *   <li>A lock timeout backs off ({@link Backoff#LOCK_TIMEOUT}) and retries; a statement timeout (a batch that ran past
 *       {@link JobSettings#rowLockLimit()}) halves the batch, down to one row; one row past it is tried once more under
 *       the long limit of {@link JobSettings#patient()} (a where that matches few rows needs a long scan to find them),
 *       and past that too fails the job, saying what to change.</li>
 *   <li>The last slice to finish completes the job, or fails it if rows did not convert ({@link SliceCompletion}).</li>
 *   <li>When the runner stops, the slice is released; its progress stays.</li>
 * </ol>
 */
final class SliceWorker {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");
    private static final Map<String, Long> lastProgressLog = new ConcurrentHashMap<>();
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final JobSettings settings;
    private final JobListener listener;
    private final BooleanSupplier stopping;
    private final BatchPacing pacing;
    private final BackfillBatch batches;
    private final BackfillBatch patientBatches;

    SliceWorker(DataSource dataSource, JobSettings settings, JobListener listener, List<BackfillThrottle> throttles,
            BooleanSupplier stopping) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listener = listener;
        this.stopping = stopping;
        this.pacing = new BatchPacing(dataSource, settings, listener, throttles, stopping);
        this.batches = new BackfillBatch(settings);
        this.patientBatches = new BackfillBatch(settings.patient());
    }

    /** Outcome of one batch. */
    enum Step {
        PROGRESS, DONE, LOST, STOPPED, LOCKED, TIMED_OUT
    }

    /** @param counted rows of the copy pass, the ones progress and {@code zdm.backfill.rows} count */
    record BatchResult(Step step, long scanned, long counted) {

        BatchResult(Step step, long scanned) {
            this(step, scanned, 0);
        }
    }

    void run(Connection connection, SliceLease lease) throws SQLException, InterruptedException {
        JobRow job = JobRow.find(connection, lease.job());
        if (job == null) {
            return;
        }
        if (job.kind() == JobKind.BACKFILL) {
            backfill(connection, lease, job);
        } else {
            new StatementJob(dataSource, settings, listener, stopping).run(connection, lease, job);
        }
    }

    private void backfill(Connection connection, SliceLease lease, JobRow job) throws SQLException, InterruptedException {
        BackfillTarget target;
        try {
            target = BackfillTarget.resolve(connection, job);
        } catch (BadJobException bad) {
            JobPlanner.fail(connection, job.name(), bad.getMessage());
            return;
        }
        int size = lease.batchSize() != null ? lease.batchSize() : job.batchSize() != null ? job.batchSize() : settings.batchSize();
        int lockRetries = 0;
        boolean patient = false;
        while (!stopping.getAsBoolean()) {
            pacing.beforeBatch(connection, job.name());
            long start = System.nanoTime();
            BatchResult result = patient ? patientBatches.run(connection, lease, target, size) : batch(connection, lease, target, size);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            switch (result.step()) {
                case DONE, LOST, STOPPED -> {
                    return;
                }
                case LOCKED -> {
                    lockRetries++;
                    listener.throttled(job.name(), "lock-timeout");
                    Backoff.sleep(Backoff.LOCK_TIMEOUT.delay(lockRetries), stopping);
                    continue;
                }
                case TIMED_OUT -> {
                    listener.throttled(job.name(), "statement-timeout");
                    if (size > 1) {
                        size = Math.max(1, size / 2);
                        continue;
                    }
                    if (!patient) {
                        // One row, and still past the limit: a slow conversion, or a where that matches few rows (the scan
                        // to find them is what takes long). Try it once under the long statement timeout.
                        patient = true;
                        log.warn("zdm: job {}: a batch of one row ran past the row-lock limit of {} ms; trying it once with"
                                + " {} ms (a slow conversion, or a where that matches few rows)", job.name(),
                                settings.rowLockLimit().toMillis(), patientBatches.limit().toMillis());
                        continue;
                    }
                    JobPlanner.fail(connection, job.name(), "one row of " + job.table() + " takes longer than "
                            + patientBatches.limit().toMillis() + " ms to find and write (50 times"
                            + " zdm.backfill.target-batch-time=" + settings.targetBatchTime().toMillis() + "ms): make the"
                            + " conversion cheaper (or the where easier to find), or raise zdm.backfill.target-batch-time,"
                            + " then retry");
                    lease.release(connection);
                    return;
                }
                default -> {
                    lockRetries = 0;
                    patient = false;
                }
            }
            listener.batch(job.name(), result.counted(), elapsed);
            size = pacing.nextSize(size, elapsed);
            pacing.afterBatch(job.name(), result.scanned(), elapsed);
            logProgress(job.name());
        }
        lease.release(connection);
    }

    /** One batch of the slice's current pass, in its own transaction. */
    BatchResult batch(Connection connection, SliceLease lease, BackfillTarget target, int size) throws SQLException {
        return batches.run(connection, lease, target, size);
    }

    private void logProgress(String job) {
        long now = System.nanoTime();
        Long last = lastProgressLog.get(job);
        if (last == null || now - last > PROGRESS_EVERY.toNanos()) {
            lastProgressLog.put(job, now);
            new Jobs(dataSource).get(job).ifPresent(view -> log.info("zdm: {}", view.progressLine()));
        }
    }
}
