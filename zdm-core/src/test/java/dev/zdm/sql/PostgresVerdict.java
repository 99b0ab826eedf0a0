package dev.zdm.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What PostgreSQL itself did when a changeset ran, in a transaction that is rolled back (or, for statements that
 * cannot run in one, in auto-commit): which tables with rows it rewrote (a table's or one of its indexes' new
 * relfilenode), scanned while the transaction held a write-blocking lock on them (pg_stat_xact_user_tables and
 * pg_locks), wrote or emptied every row of, dropped columns of or dropped, or whether it failed.
 *
 * @param blocked the tables (unqualified names) whose queries the changeset blocked or broke
 * @param failed whether PostgreSQL refused the changeset
 * @param why what was seen, for the assertion message
 */
record PostgresVerdict(Set<String> blocked, boolean failed, List<String> why) {

    private static final String RELATIONS = "SELECT coalesce(t.relname, c.relname), c.oid::regclass::text, c.relfilenode"
            + " FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid"
            + " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'm')";

    boolean unsafe() {
        return failed || !blocked.isEmpty();
    }

    /** Runs the units (each one SQL string) and reports what PostgreSQL did; nothing of it stays. */
    static PostgresVerdict of(Connection connection, List<String> units, boolean inTransaction) throws SQLException {
        Map<String, Long> rows = counts(connection);
        Map<String, Long> files = relfilenodes(connection);
        Map<String, Integer> columns = columnCounts(connection);
        Set<String> blocked = new TreeSet<>();
        List<String> why = new java.util.ArrayList<>();
        boolean failed = false;
        connection.setAutoCommit(!inTransaction);
        try (Statement statement = connection.createStatement()) {
            // pending counts of earlier transactions may still show in the xact view: compare with its start
            Map<String, long[]> start = inTransaction ? xactStats(statement) : Map.of();
            try {
                for (String unit : units) {
                    statement.execute(unit);
                }
            } catch (SQLException refused) {
                failed = true;
                why.add(refused.getMessage());
            }
            if (!failed) {
                if (inTransaction) {
                    Set<String> scanned = scannedUnderLock(statement, rows, start);
                    Set<String> written = writtenThrough(statement, rows, start);
                    scanned.forEach(t -> why.add("scanned under a write-blocking lock: " + t));
                    written.forEach(t -> why.add("every row written: " + t));
                    blocked.addAll(scanned);
                    blocked.addAll(written);
                }
                Map<String, Long> after = relfilenodes(connection);
                files.forEach((relation, file) -> {
                    Long now = after.get(relation);
                    String table = relation.substring(0, relation.indexOf(' '));
                    if (rows.getOrDefault(table, 0L) > 0 && now != null && !now.equals(file)) {
                        blocked.add(table);
                        why.add("new relfilenode: " + relation);
                    }
                });
                Map<String, Long> rowsAfter = counts(connection);
                Map<String, Integer> columnsAfter = columnCounts(connection);
                rows.forEach((table, count) -> {
                    if (count > 0 && (!rowsAfter.containsKey(table) || rowsAfter.get(table) == 0
                            || columnsAfter.getOrDefault(table, 0) < columns.get(table))) {
                        blocked.add(table); // dropped, emptied, or lost a column that running code uses
                        why.add("dropped, emptied or lost a column: " + table);
                    }
                });
            }
        } finally {
            if (inTransaction) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        }
        return new PostgresVerdict(blocked, failed, why);
    }

    private static Map<String, long[]> xactStats(Statement statement) throws SQLException {
        Map<String, long[]> stats = new HashMap<>();
        try (ResultSet rs = statement.executeQuery("SELECT relname, seq_scan, n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")) {
            while (rs.next()) {
                stats.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3) });
            }
        }
        return stats;
    }

    private static Set<String> scannedUnderLock(Statement statement, Map<String, Long> rows, Map<String, long[]> start)
            throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = statement.executeQuery("SELECT DISTINCT s.relname, s.seq_scan FROM pg_stat_xact_user_tables s"
                + " JOIN pg_locks l ON l.relation = s.relid AND l.pid = pg_backend_pid() AND l.granted"
                + " WHERE l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')")) {
            while (rs.next()) {
                long before = start.containsKey(rs.getString(1)) ? start.get(rs.getString(1))[0] : 0;
                if (rs.getLong(2) > before && rows.getOrDefault(rs.getString(1), 0L) > 0) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static Set<String> writtenThrough(Statement statement, Map<String, Long> rows, Map<String, long[]> start)
            throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = statement.executeQuery("SELECT relname, n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")) {
            while (rs.next()) {
                long before = rows.getOrDefault(rs.getString(1), 0L);
                long earlier = start.containsKey(rs.getString(1)) ? start.get(rs.getString(1))[1] : 0;
                if (before > 1 && rs.getLong(2) - earlier >= before) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static Map<String, Long> counts(Connection connection) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        List<String> tables = new java.util.ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT relname FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String table : tables) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TableName.quote(table))) {
                rs.next();
                counts.put(table, rs.getLong(1));
            }
        }
        return counts;
    }

    private static Map<String, Long> relfilenodes(Connection connection) throws SQLException {
        Map<String, Long> files = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(RELATIONS)) {
            while (rs.next()) {
                files.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
            }
        }
        return files;
    }

    private static Map<String, Integer> columnCounts(Connection connection) throws SQLException {
        Map<String, Integer> columns = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT c.relname, count(*)"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace"
                + " AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped GROUP BY c.relname")) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getInt(2));
            }
        }
        return columns;
    }
}
