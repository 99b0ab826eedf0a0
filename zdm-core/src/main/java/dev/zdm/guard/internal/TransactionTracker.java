package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a lock-timeout retry inside a transaction safe: retrying in place would sleep while earlier
 * statements of the transaction still hold their locks.
 *
 * <ol>
 *   <li>Before the first guarded DDL of a transaction, note whether the transaction already holds a
 *       strong table lock, then set savepoint {@code zdm_guard} and start recording every statement.</li>
 *   <li>On a lock timeout, roll back to {@code zdm_guard}: every lock taken since is released.</li>
 *   <li>Back off holding nothing strong, then replay the recorded statements and retry the one that
 *       timed out.</li>
 *   <li>When replay is impossible (a strong lock was held before the savepoint, or a prepared statement,
 *       batch or application savepoint ran since), fail at once instead of sleeping with locks held.</li>
 * </ol>
 */
final class TransactionTracker {

    private static final String SAVEPOINT = "zdm_guard";

    private boolean active;
    private String notReplayable;
    private final List<String> statements = new ArrayList<>();

    boolean active() {
        return active;
    }

    /** Sets the savepoint before the transaction's first guarded DDL. */
    void begin(Connection raw) throws SQLException {
        if (active) {
            return;
        }
        try (Statement statement = raw.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT string_agg(DISTINCT l.mode || ' on ' || l.relation::regclass::text, ', ')"
                    + " FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
                    + " AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')")) {
                rs.next();
                String held = rs.getString(1);
                notReplayable = held == null ? null : "the transaction already held " + held + " before zdm's savepoint";
            }
            statement.execute("SAVEPOINT " + SAVEPOINT);
        }
        active = true;
        statements.clear();
    }

    /** Records a statement that ran in the transaction after the savepoint. */
    void record(String sql) {
        if (active) {
            statements.add(sql);
        }
    }

    void notReplayable(String reason) {
        if (active && notReplayable == null) {
            notReplayable = reason;
        }
    }

    /** Why a retry inside this transaction is impossible, or {@code null} when it is possible. */
    String whyNotRetryable() {
        return notReplayable;
    }

    /** Rolls back to the savepoint, releasing every lock taken since. */
    void rollbackToStart(Connection raw) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
        }
    }

    /** Runs the recorded statements again, in order. */
    void replay(Connection raw) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Forgets the transaction (it ended). */
    void reset() {
        active = false;
        notReplayable = null;
        statements.clear();
    }
}
