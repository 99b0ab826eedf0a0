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

/** Renews a lease from a second connection while a long statement (an index build, a validation) runs. */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "zdm-lease-keeper");
        thread.setDaemon(true);
        return thread;
    });

    LeaseKeeper(DataSource dataSource, SliceLease lease, Duration duration) {
        long every = Math.max(1, duration.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (lease.renew(connection, duration) == null) {
                    log.warn("zdm: job {} lost its lease while running", lease.job());
                }
            } catch (SQLException e) {
                log.warn("zdm: renewing the lease of job {} failed: {}", lease.job(), e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
