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
     * Transaction-local timeouts for one batch: {@code lockTimeout}, a statement timeout of 50 target batch times (at
     * least 10 s), and {@code zdm.backfill = on}, which lets the application's own triggers skip backfilled rows (see
     * the README).
     */
    static void setBatchTimeouts(Connection connection, JobSettings settings, Duration lockTimeout) throws SQLException {
        long statementMillis = Math.max(10_000, settings.targetBatchTime().toMillis() * 50);
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true),"
                + " set_config('statement_timeout', ?, true), set_config('zdm.backfill', 'on', true)")) {
            ps.setString(1, lockTimeout.toMillis() + "ms");
            ps.setString(2, statementMillis + "ms");
            ps.executeQuery().close();
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
