package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One session that blocks a waiting guarded DDL, as the catalog shows it to the migration's role.
 *
 * <p>A role without {@code pg_read_all_stats} sees neither the query nor the backend type of an autovacuum
 * worker, so a worker is also recognised by what every role may see: a session with a database but no role
 * that shows in {@code pg_stat_progress_vacuum} or {@code pg_stat_progress_analyze}. Likewise a wraparound
 * vacuum is recognised by its query text where visible, and otherwise by the age of the table it vacuums
 * against the effective {@code autovacuum_freeze_max_age} / {@code autovacuum_multixact_freeze_max_age}.
 *
 * @param pid the blocking backend
 * @param seconds how long its transaction (or query) has been open
 * @param state its state, empty when hidden
 * @param query its query (shortened), or {@code <insufficient privilege>}
 * @param autovacuum whether it is an autovacuum worker
 * @param table the table it holds {@code ShareUpdateExclusiveLock} on in this database, or {@code null}
 * @param wraparound whether it is (or, by the table's age, must be) a vacuum to prevent wraparound
 * @param application its {@code application_name}, empty when unset or hidden
 */
record Blocker(int pid, long seconds, String state, String query, boolean autovacuum, String table, boolean wraparound,
        String application) {

    private static final String BLOCKING = "a.pid = ANY (pg_blocking_pids(?))";

    /** After a lock timeout the session waits no more: the sessions that hold a conflicting lock on the table. */
    private static final String HOLDING = "a.pid IN (SELECT l.pid FROM pg_locks l WHERE l.locktype = 'relation' AND l.granted"
            + " AND l.relation = to_regclass(?) AND l.pid <> pg_backend_pid() AND l.mode = ANY (?)"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))";

    private static final String QUERY = "WITH b AS ("
            + " SELECT a.*, (SELECT l.relation FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'relation' AND l.granted"
            + "   AND l.mode = 'ShareUpdateExclusiveLock' AND l.database = (SELECT oid FROM pg_database"
            + "   WHERE datname = current_database()) ORDER BY l.relation LIMIT 1) AS vacuumed"
            + " FROM pg_stat_activity a WHERE {who})"
            + " SELECT b.pid, coalesce(extract(epoch FROM now() - coalesce(b.xact_start, b.query_start)), 0)::bigint,"
            + " coalesce(b.state, ''), left(regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), 200),"
            + " coalesce(b.backend_type = 'autovacuum worker', b.usesysid IS NULL AND b.datid IS NOT NULL"
            + "   AND (b.pid IN (SELECT pid FROM pg_stat_progress_vacuum) OR b.pid IN (SELECT pid FROM pg_stat_progress_analyze))),"
            + " b.vacuumed::regclass::text,"
            + " coalesce(b.query LIKE '%(to prevent wraparound)%', false)"
            + "   OR coalesce(age(c.relfrozenxid) > least(current_setting('autovacuum_freeze_max_age')::bigint,"
            + "     coalesce((SELECT o.option_value::bigint FROM pg_options_to_table(c.reloptions) o"
            + "       WHERE o.option_name = 'autovacuum_freeze_max_age'), 9223372036854775807)), false)"
            + "   OR coalesce(mxid_age(c.relminmxid) > least(current_setting('autovacuum_multixact_freeze_max_age')::bigint,"
            + "     coalesce((SELECT o.option_value::bigint FROM pg_options_to_table(c.reloptions) o"
            + "       WHERE o.option_name = 'autovacuum_multixact_freeze_max_age'), 9223372036854775807)), false)"
            + ", coalesce(b.application_name, '')"
            + " FROM b LEFT JOIN pg_class c ON c.oid = b.vacuumed ORDER BY b.pid";

    /** The sessions that block {@code waitingPid} now. */
    static List<Blocker> of(Connection connection, int waitingPid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(QUERY.replace("{who}", BLOCKING))) {
            ps.setInt(1, waitingPid);
            return read(ps);
        }
    }

    /**
     * The other sessions that hold a lock on {@code table} that conflicts with {@code needed}, asked on the session that
     * timed out (it waits no more, so {@code pg_blocking_pids} would show nothing): what names a blocker when no second
     * connection could watch the wait (a standalone {@link dev.zdm.guard.Guard#guard guarded connection}).
     */
    static List<Blocker> holding(Connection connection, dev.zdm.sql.TableName table, dev.zdm.sql.LockLevel needed)
            throws SQLException {
        Object[] modes = java.util.Arrays.stream(dev.zdm.sql.LockLevel.values()).filter(needed::conflictsWith)
                .map(dev.zdm.sql.LockLevel::pgLocksMode).toArray();
        try (PreparedStatement ps = connection.prepareStatement(QUERY.replace("{who}", HOLDING))) {
            ps.setString(1, table.sql());
            ps.setArray(2, connection.createArrayOf("text", modes));
            return read(ps);
        }
    }

    private static List<Blocker> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Blocker> blockers = new ArrayList<>();
            while (rs.next()) {
                blockers.add(new Blocker(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        rs.getString(6), rs.getBoolean(7), rs.getString(8)));
            }
            return blockers;
        }
    }

    /** "pid 42 (application 'psql', transaction open 3 s, active, last query: ...)". */
    String describe() {
        String shown = autovacuum && (query.isEmpty() || query.startsWith("<"))
                ? "autovacuum" + (table == null ? "" : " of " + table) : query;
        return "pid " + pid + " (" + (application.isEmpty() ? "" : "application '" + application + "', ") + "transaction open "
                + seconds + " s, " + (state.isEmpty() ? "state hidden" : state) + ", last query: " + shown + ")";
    }

    /** What it does, for messages: "autovacuum (pid 42, on public.file)". */
    String autovacuumName() {
        return "autovacuum (pid " + pid + (table == null ? "" : ", on " + table) + (wraparound ? ", to prevent wraparound" : "")
                + ")";
    }
}
