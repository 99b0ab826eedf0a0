package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A table's rows as text, key → column → value, for the columns given. */
record DataSnapshot(List<String> columns, Map<String, List<String>> rows) {

    static DataSnapshot read(Connection connection, String table, List<String> columns) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT id::text");
        for (String column : columns) {
            select.append(", ").append(column).append("::text");
        }
        Map<String, List<String>> rows = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(select + " FROM " + table)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.add(rs.getString(i + 2));
                }
                rows.put(rs.getString(1), values);
            }
        }
        return new DataSnapshot(columns, rows);
    }

    /** The table's column names except the key, in name order (only the twin's are compared). */
    static List<String> columnsOf(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT attname FROM"
                + " pg_attribute WHERE attrelid = '" + table + "'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id'"
                + " ORDER BY attname")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    /** Differences row by row: missing, extra, or a differing column (value in zdm's table vs the twin). */
    List<String> differences(DataSnapshot twin, int limit) {
        List<String> differences = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, List<String>> row : twin.rows.entrySet()) {
            List<String> mine = rows.get(row.getKey());
            String difference = null;
            if (mine == null) {
                difference = "row id=" + row.getKey() + " is missing (twin has " + render(twin.columns, row.getValue()) + ")";
            } else {
                for (int i = 0; i < columns.size() && difference == null; i++) {
                    if (!java.util.Objects.equals(mine.get(i), row.getValue().get(i))) {
                        difference = "row id=" + row.getKey() + " column " + columns.get(i) + ": zdm has " + mine.get(i)
                                + ", twin has " + row.getValue().get(i) + " (zdm row " + render(columns, mine) + ")";
                    }
                }
            }
            if (difference != null && total++ < limit) {
                differences.add(difference);
            }
        }
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            if (!twin.rows.containsKey(row.getKey()) && total++ < limit) {
                differences.add("row id=" + row.getKey() + " is extra in zdm's table: " + render(columns, row.getValue()));
            }
        }
        if (total > limit) {
            differences.add("... " + (total - limit) + " more differing rows (" + total + " in all)");
        }
        return differences;
    }

    private static String render(List<String> columns, List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(columns.get(i)).append('=').append(values.get(i));
        }
        return out.append('}').toString();
    }
}
