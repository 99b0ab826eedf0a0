package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the current transaction holds that a writer of the application could wait on: row locks (a
 * transaction id is assigned once it wrote or locked a row, or changed the catalog) and table locks of mode
 * Share or stronger (they conflict with {@code RowExclusiveLock}, the lock of every INSERT, UPDATE, DELETE).
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
            + "   AND c.relnamespace <> 'pg_catalog'::regnamespace)";

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
            if (xid) {
                held.append(rows == null ? "a transaction id (it wrote or locked rows, or changed the catalog, and holds"
                        + " those row locks)" : "row locks on " + rows + " (it wrote or locked rows there)");
            }
            if (strong != null) {
                held.append(held.isEmpty() ? "" : " and ").append(strong);
            }
            return held.isEmpty() ? null : held.toString();
        }
    }
}
