package dev.zdm;

import java.time.Duration;

/**
 * Default values of zdm's settings, shared by the core and the Spring Boot properties so the two
 * never disagree.
 */
public final class ZdmDefaults {

    /** Lock wait per attempt for every guarded DDL except {@code CONCURRENTLY} work. */
    public static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    /** Attempts after the first when a guarded DDL times out waiting for its lock. */
    public static final int LOCK_RETRIES = 20;

    /** First pause between lock attempts; doubles per attempt, with jitter. */
    public static final Duration RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);

    /** Longest pause between lock attempts. */
    public static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(10);

    /** Statement timeout for DDL that holds a write-blocking lock. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    /** Whether the guard cancels a (non-wraparound) autovacuum worker that alone blocks a guarded DDL. */
    public static final boolean CANCEL_AUTOVACUUM = true;

    /** Lock wait per attempt of the cutover transaction. */
    public static final Duration CUTOVER_LOCK_TIMEOUT = Duration.ofMillis(200);

    /** Rows per backfill batch to start with; adapted towards {@link #BACKFILL_TARGET_BATCH_TIME}. */
    public static final int BACKFILL_BATCH_SIZE = 1_000;

    /** How long one backfill batch should take; batch sizes adapt to it. */
    public static final Duration BACKFILL_TARGET_BATCH_TIME = Duration.ofMillis(100);

    /** Upper bound on rows copied per second by one job; 0 means no bound. */
    public static final long BACKFILL_MAX_ROWS_PER_SECOND = 0;

    /** Pause after each backfill batch, leaving room for the application's own writes. */
    public static final Duration BACKFILL_PAUSE_BETWEEN_BATCHES = Duration.ofMillis(10);

    /** Backfills pause while a replica lags more than this. */
    public static final Duration BACKFILL_MAX_REPLICATION_LAG = Duration.ofSeconds(10);

    /** How often an idle job runner looks for work. */
    public static final Duration BACKFILL_POLL_INTERVAL = Duration.ofSeconds(5);

    /** Key-range slices per job that may run at once. */
    public static final int BACKFILL_PARALLELISM = 1;

    /** Suffix of a shadow column's default name: {@code file_size} → {@code file_size_zdm}. */
    public static final String SHADOW_SUFFIX = "_zdm";

    /** Suffix the old column gets at cutover: {@code file_size} → {@code file_size_zdm_old}. */
    public static final String OLD_SUFFIX = "_zdm_old";

    private ZdmDefaults() {
    }
}
