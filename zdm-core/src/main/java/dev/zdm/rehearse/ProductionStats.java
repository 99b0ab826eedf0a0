package dev.zdm.rehearse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Production row counts per table, for estimates at production size. The file is plain text, one table per line,
 * {@code schema.table rows}, and {@code #} comment lines (the first one says what wrote it, when and from which
 * server); sorted by table, so it diffs and can be edited by hand:
 * <pre>
 * # zdm stats: row counts from pg_class.reltuples of database app on PostgreSQL 16.4, written 2026-12-02T12:00:00Z
 * public.file 52000000
 * public."Order" 1200
 * </pre>
 *
 * @param rowsByTable rows by schema-qualified table name, quoted where needed (as {@link TableFill#table()})
 */
public record ProductionStats(Map<String, Long> rowsByTable) {

    public ProductionStats {
        Map<String, Long> normalized = new TreeMap<>();
        rowsByTable.forEach((table, rows) -> normalized.put(TableNames.normalize(table), rows));
        rowsByTable = Collections.unmodifiableMap(normalized);
    }

    /** Reads a stats file; a line that is not {@code schema.table rows} is an error naming the file and line. */
    public static ProductionStats read(Path file) throws IOException {
        Map<String, Long> rows = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                int space = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\t'));
                String where = file + ":" + number + ": ";
                if (space <= 0) {
                    throw new IOException(where + "expected 'schema.table rows' (e.g. 'public.file 52000000'), got '" + text + "'");
                }
                String table = text.substring(0, space).strip();
                String count = text.substring(space + 1).replace("_", "");
                long value;
                try {
                    value = Long.parseLong(count);
                } catch (NumberFormatException e) {
                    throw new IOException(where + "the row count of " + table + " must be a whole number, not '" + count + "'");
                }
                if (value < 0) {
                    throw new IOException(where + "the row count of " + table + " must be 0 or more, not " + value);
                }
                if (table.contains(" ") && !table.contains("\"")) {
                    throw new IOException(where + "expected one table name and one row count, got '" + text + "'");
                }
                String key = TableNames.normalize(table);
                if (rows.put(key, value) != null) {
                    throw new IOException(where + key + " is listed twice");
                }
            }
        }
        return new ProductionStats(rows);
    }

    /** Writes the file with a header saying zdm wrote it, and when. */
    public void write(Writer out) throws IOException {
        write(out, "# zdm stats: rows per table, written " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                java.util.List.of());
    }

    /** Writes the file: {@code header} first (a {@code #} line), then {@code notes} as comments, then a line per table. */
    public void write(Writer out, String header, java.util.List<String> notes) throws IOException {
        out.write(header.startsWith("#") ? header : "# " + header);
        out.write('\n');
        for (String note : notes) {
            out.write("# " + note + "\n");
        }
        for (Map.Entry<String, Long> entry : rowsByTable.entrySet()) {
            out.write(entry.getKey() + " " + entry.getValue() + "\n");
        }
        out.flush();
    }

    /** The rows of {@code table}: {@code file} (in {@code public}), {@code public.file} or {@code "public"."file"}. */
    public OptionalLong rows(String table) {
        Long exact = rowsByTable.get(TableNames.normalize(table));
        if (exact != null) {
            return OptionalLong.of(exact);
        }
        String canonical = TableNames.canonical(table);
        for (Map.Entry<String, Long> entry : rowsByTable.entrySet()) {
            if (TableNames.canonical(entry.getKey()).equals(canonical)) {
                return OptionalLong.of(entry.getValue());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Row counts from {@code pg_class.reltuples} (no table is read): see {@link CatalogStats#read(Connection)}, which
     * also says which tables were never analyzed.
     */
    public static ProductionStats fromCatalog(Connection connection) throws SQLException {
        return CatalogStats.read(connection).stats();
    }
}
