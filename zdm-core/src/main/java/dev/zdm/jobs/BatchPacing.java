package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast a backfill goes: the waits before and after each batch, and the next batch size.
 *
 * <ol>
 *   <li>Before a batch: while replication lag exceeds {@code maxReplicationLag}, wait a second and look again
 *       (unless the bound is a day or more, which turns the check off); then the longest pause the users' own
 *       {@link BackfillThrottle}s ask for.</li>
 *   <li>After a batch: the pause between batches, or longer when the rows-per-second bound (shared by all
 *       {@code parallelism} workers) needs it.</li>
 *   <li>Batch size: scaled towards the target batch time, at most halved or doubled per batch, within
 *       {@link JobSettings#MIN_BATCH} and {@link JobSettings#MAX_BATCH}.</li>
 * </ol>
 */
final class BatchPacing {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");

    private final DataSource dataSource;
    private final JobSettings settings;
    private final JobListener listener;
    private final List<BackfillThrottle> throttles;
    private final BooleanSupplier stopping;

    BatchPacing(DataSource dataSource, JobSettings settings, JobListener listener, List<BackfillThrottle> throttles,
            BooleanSupplier stopping) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listener = listener;
        this.throttles = throttles;
        this.stopping = stopping;
    }

    /** Waits out replication lag and the users' own throttles before the next batch. */
    void beforeBatch(Connection connection, String job) throws SQLException, InterruptedException {
        for (int waits = 0; !stopping.getAsBoolean(); waits++) {
            Duration lag = settings.maxReplicationLag().toDays() >= 1 ? null : ReplicationLag.read(connection);
            if (lag != null && lag.compareTo(settings.maxReplicationLag()) > 0) {
                listener.throttled(job, "replication-lag");
                if (waits % 10 == 0) {
                    log.info("zdm: job {} waits: replication lag {} ms exceeds {}", job, lag.toMillis(), settings.maxReplicationLag());
                }
                Backoff.sleep(Duration.ofSeconds(1), stopping);
                continue;
            }
            BackfillThrottle.Pause longest = longestPause(job);
            if (longest == null) {
                return;
            }
            listener.throttled(job, longest.reason());
            Backoff.sleep(longest.duration(), stopping);
            return;
        }
    }

    private BackfillThrottle.Pause longestPause(String job) {
        BackfillThrottle.Pause longest = null;
        if (!throttles.isEmpty()) {
            JobView view = new Jobs(dataSource).get(job).orElse(null);
            for (BackfillThrottle throttle : throttles) {
                BackfillThrottle.Pause pause = view == null ? null : throttle.pauseBefore(view).orElse(null);
                if (pause != null && (longest == null || pause.duration().compareTo(longest.duration()) > 0)) {
                    longest = pause;
                }
            }
        }
        return longest;
    }

    /** The pause between batches, longer when the rows-per-second bound needs it. */
    void afterBatch(String job, long rows, Duration elapsed) throws InterruptedException {
        Duration pause = settings.pauseBetweenBatches();
        if (settings.maxRowsPerSecond() > 0) {
            long minimumNanos = rows * settings.parallelism() * 1_000_000_000L / settings.maxRowsPerSecond();
            long missing = minimumNanos - elapsed.toNanos();
            if (missing > pause.toNanos()) {
                listener.throttled(job, "max-rows-per-second");
                pause = Duration.ofNanos(missing);
            }
        }
        if (!pause.isZero()) {
            Backoff.sleep(pause, stopping);
        }
    }

    /** The next batch size, towards the target batch time. */
    int nextSize(int size, Duration elapsed) {
        double target = settings.targetBatchTime().toNanos();
        double ratio = target / Math.max(1, elapsed.toNanos());
        double next = size * Math.max(0.5, Math.min(2.0, ratio));
        // below MIN_BATCH only after statement timeouts; from there it grows back at most twofold per batch
        return (int) Math.max(Math.min(size, JobSettings.MIN_BATCH), Math.min(JobSettings.MAX_BATCH, next));
    }
}
