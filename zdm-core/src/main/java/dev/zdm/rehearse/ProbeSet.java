package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader and a writer on every user table that has rows: the reader fetches one row by its primary key (or the
 * first row), the writer updates one row by its primary key (or by {@code ctid}) in its own transaction.
 */
final class ProbeSet implements AutoCloseable {

    /** How long a probe's running statement may take to finish once a window ends. */
    private static final long PATIENCE_MS = 30_000;

    private final List<Probe> probes = new ArrayList<>();

    /** One table's longest waits in a window. */
    record Waits(long readMs, long writeMs) {
        long max() {
            return Math.max(readMs, writeMs);
        }
    }

    private ProbeSet() {
    }

    static ProbeSet start(SessionSource sessions, Collection<UserTable> tables) throws SQLException {
        ProbeSet set = new ProbeSet();
        try {
            for (UserTable table : tables) {
                if (table.rows() == 0) {
                    continue;
                }
                String[] sql = statements(sessions, table);
                if (sql == null) {
                    continue;
                }
                set.probes.add(new Probe(session(sessions), table.name(), Probe.Kind.READ, sql[0]));
                set.probes.add(new Probe(session(sessions), table.name(), Probe.Kind.WRITE, sql[1]));
            }
        } catch (SQLException | RuntimeException e) {
            set.close();
            throw e;
        }
        set.probes.forEach(Probe::start);
        return set;
    }

    /** Starts a new measurement window on every probe. */
    void reset() {
        probes.forEach(Probe::reset);
    }

    /** The longest waits per table since {@link #reset()}. */
    Map<String, Waits> waits() {
        Map<String, long[]> found = new LinkedHashMap<>();
        for (Probe probe : probes) {
            long[] w = found.computeIfAbsent(probe.table(), k -> new long[2]);
            w[probe.kind() == Probe.Kind.READ ? 0 : 1] = probe.longestWaitMs(PATIENCE_MS);
        }
        Map<String, Waits> waits = new LinkedHashMap<>();
        found.forEach((table, w) -> waits.put(table, new Waits(w[0], w[1])));
        return waits;
    }

    private static Connection session(SessionSource sessions) throws SQLException {
        Connection connection = sessions.open();
        try (Statement st = connection.createStatement()) {
            st.execute("SET statement_timeout = '10min'");
            st.execute("SET application_name = 'zdm-rehearse-probe'");
        }
        return connection;
    }

    /** The reader's and the writer's statement, or {@code null} for a table with no row to use. */
    private static String[] statements(SessionSource sessions, UserTable table) throws SQLException {
        try (Connection connection = sessions.open(); Statement st = connection.createStatement()) {
            String key = null;
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(a.attname) FROM pg_index i JOIN pg_attribute a"
                    + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = " + table.oid()
                    + " AND i.indisprimary AND i.indnatts = 1")) {
                if (rs.next()) {
                    key = rs.getString(1);
                }
            }
            if (key != null) {
                try (ResultSet rs = st.executeQuery("SELECT quote_literal(" + key + "::text) FROM " + table.sqlName()
                        + " LIMIT 1")) {
                    if (!rs.next()) {
                        return null;
                    }
                    String value = rs.getString(1);
                    return new String[] {"SELECT * FROM " + table.sqlName() + " WHERE " + key + " = " + value,
                            "UPDATE " + table.sqlName() + " SET " + key + " = " + key + " WHERE " + key + " = " + value};
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = "
                    + table.oid() + " AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum LIMIT 1")) {
                if (!rs.next()) {
                    return null;
                }
                String column = rs.getString(1);
                return new String[] {"SELECT * FROM " + table.sqlName() + " LIMIT 1", "UPDATE " + table.sqlName() + " SET "
                        + column + " = " + column + " WHERE ctid = (SELECT ctid FROM " + table.sqlName() + " LIMIT 1)"};
            }
        }
    }

    @Override
    public void close() {
        probes.forEach(Probe::close);
    }
}
