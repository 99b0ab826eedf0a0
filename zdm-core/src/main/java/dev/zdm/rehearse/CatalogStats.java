package dev.zdm.rehearse;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ProductionStats} read from a server's catalog, with where they came from.
 * <ol>
 * <li>Every ordinary and partitioned table that is not a partition, outside {@code pg_catalog},
 * {@code information_schema} and temporary schemas.</li>
 * <li>Rows: {@code pg_class.reltuples}, summed over the leaf partitions for a partitioned table.</li>
 * <li>A table (or partition) never analyzed nor vacuumed ({@code reltuples = -1}) gets an estimate from its size:
 * {@code pg_relation_size / (24-byte tuple header + its columns' widths)}, or 0 when empty; a comment line says so.</li>
 * </ol>
 *
 * @param notes one line per table whose count is an estimate from its size
 */
public record CatalogStats(ProductionStats stats, String serverVersion, String database, Instant readAt, List<String> notes) {

    private static final String QUERY = "WITH tables AS ("
            + " SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, c.relkind"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'),"
            + " leaves AS ("
            + " SELECT t.oid AS root, l.oid, l.reltuples, pg_relation_size(l.oid) AS bytes,"
            + " (SELECT 24 + coalesce(sum(CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END), 0) FROM pg_attribute a"
            + "   WHERE a.attrelid = l.oid AND a.attnum > 0 AND NOT a.attisdropped) AS width"
            + " FROM tables t CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(t.oid) WHERE isleaf"
            + "   UNION SELECT t.oid WHERE t.relkind = 'r') p JOIN pg_class l ON l.oid = p.relid)"
            + " SELECT t.name,"
            + " coalesce(sum(CASE WHEN l.reltuples >= 0 THEN l.reltuples ELSE l.bytes / l.width END), 0)::bigint,"
            + " count(*) FILTER (WHERE l.reltuples < 0), coalesce(sum(l.bytes) FILTER (WHERE l.reltuples < 0), 0)::bigint"
            + " FROM tables t LEFT JOIN leaves l ON l.root = t.oid GROUP BY t.name ORDER BY t.name";

    public CatalogStats {
        notes = List.copyOf(notes);
    }

    public static CatalogStats read(Connection connection) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String version;
        String database;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT current_setting('server_version'), current_database()")) {
                rs.next();
                version = rs.getString(1);
                database = rs.getString(2);
            }
            try (ResultSet rs = statement.executeQuery(QUERY)) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    long count = rs.getLong(2);
                    rows.put(table, count);
                    if (rs.getLong(3) > 0) {
                        notes.add(table + ": never analyzed (reltuples -1"
                                + (rs.getLong(3) > 1 ? " in " + rs.getLong(3) + " partitions" : "") + "); " + count
                                + " estimated from its size, " + rs.getLong(4) + " bytes. Run ANALYZE " + table + " for a real count");
                    }
                }
            }
        }
        return new CatalogStats(new ProductionStats(rows), version, database, Instant.now().truncatedTo(ChronoUnit.SECONDS), notes);
    }

    /** The stats file: the header line, the notes as comments, a line per table. */
    public void write(Writer out) throws IOException {
        stats.write(out, "# zdm stats: row counts from pg_class.reltuples (no data read) of database " + database + " on PostgreSQL "
                + serverVersion + ", written " + readAt + " by zdm-cli stats", notes);
    }
}
