package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a lease from a second connection while a long statement (an index build, a validation) runs, and stops that
 * statement once the lease is lost: another owner took the slice, or no renewal succeeded for a whole lease. The
 * statement's session is cancelled from the keeper's connection; if the database cannot be reached at all, the next
 * owner cancels it before it touches anything ({@link JobFence}).
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "zdm-lease-keeper");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean lost;
    private boolean closed;
    private volatile long renewedAt = System.nanoTime();

    /** @param workerPid the backend pid of the session running the statement */
    LeaseKeeper(DataSource dataSource, SliceLease lease, Duration duration, int workerPid) {
        long every = Math.max(1, duration.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(() -> {
            if (lost) {
                return;
            }
            try (Connection connection = dataSource.getConnection()) {
                if (lease.renew(connection, duration) == null) {
                    synchronized (this) {
                        if (closed) {
                            return; // the statement ended (its slice may be released by now): nothing of ours to cancel
                        }
                        lost = true;
                        log.warn("zdm: job {} lost its lease while running (another runner took it over); cancelling its"
                                + " statement in session {}", lease.job(), workerPid);
                        JobFence.cancel(connection, workerPid);
                    }
                } else {
                    renewedAt = System.nanoTime();
                }
            } catch (SQLException e) {
                log.warn("zdm: renewing the lease of job {} failed: {}", lease.job(), e.getMessage());
                if (System.nanoTime() - renewedAt > duration.toNanos()) {
                    lost = true;
                    log.warn("zdm: job {}: no renewal for a whole lease ({} ms); another runner may take it over and will"
                            + " cancel this statement first", lease.job(), duration.toMillis());
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether the lease was lost while the statement ran: its outcome is not this runner's to record. */
    boolean lost() {
        return lost;
    }

    /**
     * Stops renewing. Once this returns the keeper cancels nothing: the session goes back to its pool, where a cancel
     * would hit someone else's statement.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        scheduler.shutdownNow();
    }
}
