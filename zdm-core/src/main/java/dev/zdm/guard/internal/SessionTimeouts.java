package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Sets {@code lock_timeout} and {@code statement_timeout} for one guarded statement and puts the old values
 * back after it. Inside a transaction both are set transaction-locally ({@code set_config(..., true)}) and
 * restored right after the statement, because {@code SET LOCAL} would otherwise last to the end of the
 * transaction; under auto-commit they are set for the session and restored the same way.
 */
final class SessionTimeouts {

    private final String oldLockTimeout;
    private final String oldStatementTimeout;
    private final int backendPid;
    private final boolean local;

    private SessionTimeouts(String oldLockTimeout, String oldStatementTimeout, int backendPid, boolean local) {
        this.oldLockTimeout = oldLockTimeout;
        this.oldStatementTimeout = oldStatementTimeout;
        this.backendPid = backendPid;
        this.local = local;
    }

    /**
     * Applies the timeouts in one round trip.
     *
     * @param statementTimeout the new statement timeout, or {@code null} to keep the current one
     */
    static SessionTimeouts apply(Connection raw, String lockTimeout, String statementTimeout, boolean local)
            throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement("SELECT current_setting('lock_timeout'),"
                + " current_setting('statement_timeout'), pg_backend_pid(), set_config('lock_timeout', ?, ?),"
                + " set_config('statement_timeout', coalesce(?, current_setting('statement_timeout')), ?)")) {
            ps.setString(1, lockTimeout);
            ps.setBoolean(2, local);
            ps.setString(3, statementTimeout);
            ps.setBoolean(4, local);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new SessionTimeouts(rs.getString(1), rs.getString(2), rs.getInt(3), local);
            }
        }
    }

    int backendPid() {
        return backendPid;
    }

    /** Puts the old values back. */
    void restore(Connection raw) throws SQLException {
        try (PreparedStatement ps = raw.prepareStatement(
                "SELECT set_config('lock_timeout', ?, ?), set_config('statement_timeout', ?, ?)")) {
            ps.setString(1, oldLockTimeout);
            ps.setBoolean(2, local);
            ps.setString(3, oldStatementTimeout);
            ps.setBoolean(4, local);
            ps.executeQuery().close();
        }
    }

    /** Restores where the connection still can (not in an aborted transaction); never throws. */
    void restoreQuietly(Connection raw) {
        try {
            restore(raw);
        } catch (SQLException ignored) {
            // an aborted transaction reverts its local settings itself when it rolls back
        }
    }
}
