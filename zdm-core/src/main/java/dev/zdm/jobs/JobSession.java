package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Session statements the slice worker's classes share. */
final class JobSession {

    private JobSession() {
    }

    /**
     * Transaction-local settings for one batch: {@code lockTimeout} (at most {@link JobSettings#batchLockTimeout()}), a
     * statement timeout of {@link JobSettings#rowLockLimit()} (the longest the batch may hold row locks), and
     * {@code zdm.backfill = on}, which lets the application's own triggers skip backfilled rows (see the README).
     */
    static void setBatchTimeouts(Connection connection, JobSettings settings, Duration lockTimeout) throws SQLException {
        Duration lockWait = lockTimeout.compareTo(settings.batchLockTimeout()) < 0 ? lockTimeout : settings.batchLockTimeout();
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true),"
                + " set_config('statement_timeout', ?, true), set_config('zdm.backfill', 'on', true)")) {
            ps.setString(1, Math.max(1, lockWait.toMillis()) + "ms");
            ps.setString(2, Math.max(1, settings.rowLockLimit().toMillis()) + "ms");
            ps.executeQuery().close();
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
