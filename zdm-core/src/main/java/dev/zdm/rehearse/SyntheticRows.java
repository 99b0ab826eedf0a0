package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills every user table (not zdm's own, not Liquibase's) to a number of rows (placeholder: a generate_series insert for
 * int, bigint, text, varchar, timestamptz, boolean and numeric columns, others left to their defaults; replaced at merge
 * by the full version).
 */
public final class SyntheticRows {

    private SyntheticRows() {
    }

    public static FillReport fill(Connection c, long rowsPerTable) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT format('%I.%I', schemaname, tablename)"
                + " FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename NOT LIKE 'zdm\\_%'"
                + " AND tablename NOT LIKE 'databasechangelog%' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        List<TableFill> fills = new ArrayList<>();
        for (String table : tables) {
            long started = System.nanoTime();
            long before = count(c, table);
            List<String> columns = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT quote_ident(attname),"
                    + " format_type(atttypid, NULL), atttypmod, atthasdef, attidentity <> '', attgenerated <> ''"
                    + " FROM pg_attribute WHERE attrelid = '" + table.replace("'", "''") + "'::regclass AND attnum > 0"
                    + " AND NOT attisdropped ORDER BY attnum")) {
                while (rs.next()) {
                    if (rs.getBoolean(4) || rs.getBoolean(5) || rs.getBoolean(6)) {
                        continue;
                    }
                    String value = value(rs.getString(2), rs.getInt(3));
                    if (value != null) {
                        columns.add(rs.getString(1));
                        values.add(value);
                    }
                }
            }
            if (before < rowsPerTable) {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO " + table + (columns.isEmpty() ? " DEFAULT VALUES" : " (" + String.join(", ", columns)
                            + ") SELECT " + String.join(", ", values) + " FROM generate_series(" + (before + 1) + ", "
                            + rowsPerTable + ") g"));
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE " + table);
            }
            fills.add(new TableFill(table, before, count(c, table), Duration.ofNanos(System.nanoTime() - started), null));
        }
        return new FillReport(fills);
    }

    private static String value(String type, int typmod) {
        return switch (type) {
            case "integer", "smallint" -> "(g % 30000)::" + type;
            case "bigint" -> "g";
            case "text" -> "md5(g::text)";
            case "character varying" -> typmod > 4 ? "left(md5(g::text), " + (typmod - 4) + ")" : "md5(g::text)";
            case "timestamp with time zone" -> "now() - g * interval '1 second'";
            case "boolean" -> "g % 2 = 0";
            case "numeric" -> "g";
            default -> null;
        };
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
