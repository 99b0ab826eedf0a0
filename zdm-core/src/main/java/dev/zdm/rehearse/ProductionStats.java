package dev.zdm.rehearse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Production row counts per table, one {@code schema.table rows} per line, {@code #} comments (placeholder; replaced
 * at merge by the full version).
 */
public record ProductionStats(Map<String, Long> rowsByTable) {

    public static ProductionStats read(Path file) throws IOException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] parts = text.split("\\s+");
                try {
                    if (parts.length != 2) {
                        throw new NumberFormatException();
                    }
                    rows.put(parts[0].contains(".") ? parts[0] : "public." + parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + number + ": expected 'schema.table rows', got '" + text + "'");
                }
            }
        }
        return new ProductionStats(rows);
    }

    public void write(Writer out) throws IOException {
        for (Map.Entry<String, Long> entry : rowsByTable.entrySet()) {
            out.write(entry.getKey() + " " + entry.getValue() + "\n");
        }
    }

    public OptionalLong rows(String table) {
        Long rows = rowsByTable.get(table.contains(".") ? table : "public." + table);
        return rows == null ? OptionalLong.empty() : OptionalLong.of(rows);
    }

    public static ProductionStats fromCatalog(Connection connection) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname, greatest(c.reltuples, 0)::bigint"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
                        + " ORDER BY 1")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return new ProductionStats(rows);
    }
}
