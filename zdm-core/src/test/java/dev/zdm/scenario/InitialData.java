package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The rows both tables start with. Key {@code k} (1..rows) belongs to writer {@code k % (writers + 1)}; the keys of
 * the last share belong to no writer (frozen): the referencing table points at them, and INITIAL invalid values sit
 * there.
 */
record InitialData(Map<String, RowValues> rows, Map<Integer, Map<String, RowValues>> byWriter, Map<String, String> invalid,
        List<String> frozen) {

    static InitialData of(Scenario s) {
        Random random = new Random(s.seed() ^ 0x5eedL);
        Map<String, RowValues> rows = new LinkedHashMap<>();
        Map<Integer, Map<String, RowValues>> byWriter = new HashMap<>();
        Map<String, String> invalid = new LinkedHashMap<>();
        List<String> frozen = new java.util.ArrayList<>();
        int invalidWanted = s.invalid() == InvalidValues.INITIAL ? 1 + random.nextInt(3) : 0;
        for (long k = 1; k <= s.rows(); k++) {
            String key = s.key().literal(k);
            int owner = (int) (k % (s.writers() + 1));
            String a = Integer.toString(random.nextInt(1000));
            String b = Integer.toString(random.nextInt(1000));
            String c = null;
            if (!s.change().onKey()) {
                long n = s.uniqueValues() ? k : s.has(ObjectKind.FK_OUT) ? random.nextInt(200) : random.nextInt(5000);
                c = s.change().valid(n);
                if (owner == s.writers() && invalid.size() < invalidWanted && k > s.rows() / 3) {
                    c = s.change().invalid(k);
                    invalid.put(key, c);
                }
                if (s.has(ObjectKind.DERIVING_TRIGGER)) {
                    c = Long.toString(Long.parseLong(a) * Long.parseLong(b));
                }
            }
            RowValues row = new RowValues(c, "n" + k, a, b);
            rows.put(key, row);
            if (owner == s.writers()) {
                frozen.add(key);
            } else {
                byWriter.computeIfAbsent(owner, w -> new HashMap<>()).put(key, row);
            }
        }
        return new InitialData(rows, byWriter, invalid, frozen);
    }

    /** Inserts the rows (and the referencing table's rows) into {@code table}. */
    void insert(Connection connection, Scenario s, String table) throws SQLException {
        insertRows(connection, s, table, rows);
        if (s.has(ObjectKind.FK_IN)) {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + "_child (id, parent_id) VALUES (?, ?)")) {
                int id = 1;
                for (String parent : frozen) {
                    for (int i = 0; i < 2; i++) {
                        ps.setInt(1, id++);
                        ps.setString(2, parent);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        }
        if (s.key().generated()) {
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), " + s.rows() + ")");
            }
        }
    }

    static void insertRows(Connection connection, Scenario s, String table, Map<String, RowValues> rows) throws SQLException {
        boolean onKey = s.change().onKey();
        try (PreparedStatement ps = connection.prepareStatement(onKey ? "INSERT INTO " + table + " (id, note, a, b) VALUES (?, ?, ?, ?)"
                : "INSERT INTO " + table + " (id, c, note, a, b) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, RowValues> row : rows.entrySet()) {
                int i = 1;
                ps.setString(i++, row.getKey());
                if (!onKey) {
                    set(ps, i++, row.getValue().c());
                }
                set(ps, i++, row.getValue().note());
                set(ps, i++, row.getValue().a());
                set(ps, i, row.getValue().b());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void set(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else {
            ps.setString(index, value);
        }
    }
}
