package dev.zdm.jobs;

import dev.zdm.ZdmDefaults;
import java.time.Duration;

/**
 * How runners work through jobs.
 *
 * @param batchSize rows in a slice's first batch
 * @param targetBatchTime how long a batch should take; sizes adapt towards it within [{@link #MIN_BATCH}, {@link #MAX_BATCH}]
 * @param maxRowsPerSecond upper bound per job over all its slices; 0 for none
 * @param pauseBetweenBatches pause after each batch
 * @param maxReplicationLag pause while a replica lags more
 * @param pollInterval how often an idle runner looks for work
 * @param parallelism slices per backfill, and worker threads per runner
 * @param lockTimeout lock wait of one batch before it backs off
 * @param lease how long a claimed slice stays claimed without a heartbeat
 */
public record JobSettings(int batchSize, Duration targetBatchTime, long maxRowsPerSecond, Duration pauseBetweenBatches,
        Duration maxReplicationLag, Duration pollInterval, int parallelism, Duration lockTimeout, Duration lease) {

    public static final int MIN_BATCH = 10;
    public static final int MAX_BATCH = 100_000;

    public static JobSettings defaults() {
        return new JobSettings(ZdmDefaults.BACKFILL_BATCH_SIZE, ZdmDefaults.BACKFILL_TARGET_BATCH_TIME,
                ZdmDefaults.BACKFILL_MAX_ROWS_PER_SECOND, ZdmDefaults.BACKFILL_PAUSE_BETWEEN_BATCHES,
                ZdmDefaults.BACKFILL_MAX_REPLICATION_LAG, ZdmDefaults.BACKFILL_POLL_INTERVAL, ZdmDefaults.BACKFILL_PARALLELISM,
                ZdmDefaults.LOCK_TIMEOUT, Duration.ofSeconds(30));
    }

    /**
     * The longest a batch may hold the row locks it took: the target batch time plus half of it (at least 100 ms). A
     * batch statement that runs longer is cancelled (and the batch retried smaller), so an application writer never
     * waits on a batch much longer than the target batch time.
     */
    public Duration rowLockLimit() {
        Duration margin = targetBatchTime.dividedBy(2);
        return targetBatchTime.plus(margin.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : margin);
    }

    /**
     * How long a batch waits for one row lock of the application's: {@link #lockTimeout}, but at most half the
     * {@link #rowLockLimit()}, so a batch that waits gives up (and backs off) before it is cancelled for running long.
     */
    public Duration batchLockTimeout() {
        Duration half = rowLockLimit().dividedBy(2);
        return lockTimeout.compareTo(half) < 0 ? lockTimeout : half;
    }

    /**
     * The settings for a batch of one row that ran past {@link #rowLockLimit()}: a target batch time 50 times as long
     * (at least 5 s), so its statement may take that long once.
     */
    public JobSettings patient() {
        Duration longer = targetBatchTime.multipliedBy(50);
        return withBatch(batchSize, longer.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : longer);
    }

    /** No throttling at all: for benchmarks and tests. */
    public JobSettings unthrottled() {
        return new JobSettings(batchSize, targetBatchTime, 0, Duration.ZERO, Duration.ofDays(1), pollInterval, parallelism,
                lockTimeout, lease);
    }

    public JobSettings withParallelism(int slices) {
        return new JobSettings(batchSize, targetBatchTime, maxRowsPerSecond, pauseBetweenBatches, maxReplicationLag,
                pollInterval, slices, lockTimeout, lease);
    }

    public JobSettings withPollInterval(Duration interval) {
        return new JobSettings(batchSize, targetBatchTime, maxRowsPerSecond, pauseBetweenBatches, maxReplicationLag,
                interval, parallelism, lockTimeout, lease);
    }

    public JobSettings withBatch(int size, Duration target) {
        return new JobSettings(size, target, maxRowsPerSecond, pauseBetweenBatches, maxReplicationLag, pollInterval,
                parallelism, lockTimeout, lease);
    }

    public JobSettings withLease(Duration newLease) {
        return new JobSettings(batchSize, targetBatchTime, maxRowsPerSecond, pauseBetweenBatches, maxReplicationLag,
                pollInterval, parallelism, lockTimeout, newLease);
    }

    public JobSettings withMaxRowsPerSecond(long rate) {
        return new JobSettings(batchSize, targetBatchTime, rate, pauseBetweenBatches, maxReplicationLag, pollInterval,
                parallelism, lockTimeout, lease);
    }
}
