package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the current transaction holds that a writer of the application could wait on: row locks and table
 * locks of mode Share or stronger (they conflict with {@code RowExclusiveLock}, the lock of every INSERT,
 * UPDATE, DELETE).
 *
 * <p>Row locks are not listed anywhere; a transaction holds some when it has a transaction id (it wrote or
 * locked a row) and still holds {@code RowExclusiveLock} or {@code RowShareLock} on a table that is not a
 * catalog or temporary table. A transaction id alone is not enough: a write in a subtransaction that was
 * rolled back (zdm's own checks probe that way), {@code nextval} or catalog changes assign one too, and leave
 * no row lock another session could wait for.
 *
 * <p>Advisory locks do not count: no writer waits for one unless it asks for the same key, and the one zdm
 * holds for Liquibase is session-level, so no rollback would release it anyway.
 */
final class HeldLocks {

    private static final String QUERY = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL,"
            + " (SELECT string_agg(DISTINCT l.mode || ' on ' || l.relation::regclass::text, ', ') FROM pg_locks l"
            + "   WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
            + "   AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')),"
            + " (SELECT string_agg(DISTINCT c.oid::regclass::text, ', ') FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            + "   WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
            + "   AND l.mode IN ('RowExclusiveLock', 'RowShareLock') AND c.relkind IN ('r', 'p', 'm')"
            + "   AND c.relpersistence <> 't' AND c.relnamespace <> 'pg_catalog'::regnamespace)";

    private HeldLocks() {
    }

    /** What is held, in words ("row locks on settings; ShareLock on b"), or {@code null} when nothing is. */
    static String describe(Connection raw) throws SQLException {
        try (Statement statement = raw.createStatement(); ResultSet rs = statement.executeQuery(QUERY)) {
            rs.next();
            boolean xid = rs.getBoolean(1);
            String strong = rs.getString(2);
            String rows = rs.getString(3);
            StringBuilder held = new StringBuilder();
            if (xid && rows != null) {
                held.append("row locks on ").append(rows).append(" (it wrote or locked rows there)");
            }
            if (strong != null) {
                held.append(held.isEmpty() ? "" : " and ").append(strong);
            }
            return held.isEmpty() ? null : held.toString();
        }
    }
}
