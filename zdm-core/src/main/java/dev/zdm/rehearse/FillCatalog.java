package dev.zdm.rehearse;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tables to fill from the catalog: every ordinary and partitioned table (not a partition) outside
 * {@code pg_catalog}, {@code information_schema}, temporary schemas and extensions, except zdm's own {@code zdm_*}
 * tables and Liquibase's {@code databasechangelog}/{@code databasechangeloglock} (rows there would change what
 * Liquibase does next).
 */
final class FillCatalog {

    static final String TABLES = "SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind = 'p',"
            + " EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
            + " AND c.relname NOT LIKE 'zdm\\_%' AND lower(c.relname) NOT IN ('databasechangelog', 'databasechangeloglock')"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
            + " ORDER BY n.nspname, c.relname";

    private static final Pattern RANGE = Pattern.compile("FOR VALUES FROM \\((.*)\\) TO \\((.*)\\)");
    private static final Pattern LIST = Pattern.compile("FOR VALUES IN \\((.*)\\)");

    private final Connection connection;
    private final TypeReader types;

    FillCatalog(Connection connection) {
        this.connection = connection;
        this.types = new TypeReader(connection);
    }

    List<FillTable> tables() throws SQLException {
        List<FillTable> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TABLES); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                tables.add(new FillTable(rs.getLong(1), rs.getString(2), rs.getBoolean(3), List.of(), Set.of(), List.of(),
                        List.of(), List.of(), "", List.of(), List.of(), rs.getBoolean(4)));
            }
        }
        List<FillTable> read = new ArrayList<>();
        for (FillTable table : tables) {
            read.add(read(table));
        }
        return read;
    }

    private FillTable read(FillTable table) throws SQLException {
        List<FillColumn> columns = columns(table.oid());
        Set<Integer> unique = uniqueColumns(table.oid(), columns);
        List<FillTable.Check> checks = checks(table.oid());
        List<ForeignKey> foreignKeys = foreignKeys(table.oid());
        List<String> routing = new ArrayList<>();
        String strategy = "";
        List<Integer> key = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        if (table.partitioned()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT partstrat, partattrs::int2[] FROM pg_partitioned_table WHERE partrelid = ?")) {
                statement.setLong(1, table.oid());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        strategy = rs.getString(1);
                        key.addAll(ints(rs.getArray(2)));
                    }
                }
            }
            partitions(table.oid(), routing, bounds, strategy, key.size() == 1 && key.get(0) != 0);
        }
        return new FillTable(table.oid(), table.name(), table.partitioned(), columns, unique, checks, foreignKeys,
                List.copyOf(routing), strategy, List.copyOf(key), List.copyOf(bounds), table.hasTriggers());
    }

    private record RawColumn(int attnum, String name, String quoted, long typeOid, int typmod, boolean notNull,
            String defaultExpression, String identity, String generated) {
    }

    private List<FillColumn> columns(long oid) throws SQLException {
        List<RawColumn> raw = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.attnum, a.attname, quote_ident(a.attname),"
                + " a.atttypid, a.atttypmod, a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated"
                + " FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    raw.add(new RawColumn(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                            rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
        }
        List<FillColumn> columns = new ArrayList<>();
        for (RawColumn column : raw) {
            columns.add(new FillColumn(column.attnum(), column.name(), column.quoted(), types.type(column.typeOid(), column.typmod()),
                    column.notNull(), column.defaultExpression(), column.identity(), column.generated()));
        }
        return columns;
    }

    private Set<Integer> uniqueColumns(long oid, List<FillColumn> columns) throws SQLException {
        Set<Integer> unique = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT i.indkey::int2[], pg_get_expr(i.indexprs, i.indrelid) FROM pg_index i WHERE i.indrelid = ? AND i.indisunique"
                        + " UNION ALL SELECT conkey, NULL FROM pg_constraint WHERE conrelid = ? AND contype = 'x'")) {
            statement.setLong(1, oid);
            statement.setLong(2, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    for (int attnum : ints(rs.getArray(1))) {
                        if (attnum > 0) {
                            unique.add(attnum);
                        }
                    }
                    String expressions = rs.getString(2);
                    if (expressions != null) {
                        for (FillColumn column : columns) {
                            if (mentions(expressions, column.quoted())) {
                                unique.add(column.attnum());
                            }
                        }
                    }
                }
            }
        }
        return unique;
    }

    static boolean mentions(String expression, String quotedColumn) {
        return Pattern.compile("(?<![A-Za-z0-9_$\"])" + Pattern.quote(quotedColumn) + "(?![A-Za-z0-9_$\"(])").matcher(expression).find();
    }

    private List<FillTable.Check> checks(long oid) throws SQLException {
        List<FillTable.Check> checks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.conname, pg_get_expr(c.conbin, c.conrelid), c.conkey FROM pg_constraint c WHERE c.conrelid = ?"
                        + " AND c.contype = 'c' AND coalesce((to_jsonb(c) ->> 'conenforced')::boolean, true) ORDER BY c.conname")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    checks.add(new FillTable.Check(rs.getString(1), rs.getString(2), Set.copyOf(ints(rs.getArray(3)))));
                }
            }
        }
        return checks;
    }

    private List<ForeignKey> foreignKeys(long oid) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.conname, c.conkey, c.confrelid,"
                + " quote_ident(n.nspname) || '.' || quote_ident(p.relname),"
                + " ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)"
                + "   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord), c.condeferrable"
                + " FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid JOIN pg_namespace n ON n.oid = p.relnamespace"
                + " WHERE c.conrelid = ? AND c.contype = 'f' AND c.conparentid = 0"
                + " AND coalesce((to_jsonb(c) ->> 'conenforced')::boolean, true) ORDER BY c.conname")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<String> parentColumns = new ArrayList<>();
                    for (Object each : (Object[]) rs.getArray(5).getArray()) {
                        parentColumns.add((String) each);
                    }
                    keys.add(new ForeignKey(rs.getString(1), ints(rs.getArray(2)), rs.getLong(3), rs.getString(4),
                            List.copyOf(parentColumns), rs.getBoolean(6)));
                }
            }
        }
        return keys;
    }

    /**
     * The leaf partitions' constraints (routing) unless a partition directly under the table is DEFAULT; for a
     * single-column key whose partitions all sit directly under the table, their bounds.
     */
    private void partitions(long oid, List<String> routing, List<String> bounds, String strategy, boolean singleColumn)
            throws SQLException {
        boolean everyRowRoutes = false;
        boolean flat = true;
        List<String> leafBounds = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_get_expr(c.relpartbound, c.oid),"
                + " pg_get_partition_constraintdef(c.oid), t.level FROM pg_partition_tree(?::regclass) t JOIN pg_class c"
                + " ON c.oid = t.relid WHERE t.level > 0 AND (t.isleaf OR t.level = 1) ORDER BY c.relname")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String bound = rs.getString(1);
                    int level = rs.getInt(3);
                    if (level == 1 && "DEFAULT".equals(bound)) {
                        everyRowRoutes = true;
                    }
                    if (level > 1) {
                        flat = false;
                    } else {
                        leafBounds.add(bound);
                    }
                    String constraint = rs.getString(2);
                    if (constraint != null && (level > 1 || !"DEFAULT".equals(bound))) {
                        routing.add(constraint);
                    }
                }
            }
        }
        if (everyRowRoutes) {
            routing.clear();
        }
        if (!singleColumn || !flat) {
            return;
        }
        for (String bound : leafBounds) {
            Matcher range = RANGE.matcher(bound);
            Matcher list = LIST.matcher(bound);
            if (strategy.equals("r") && range.matches() && !range.group(1).contains("MINVALUE") && !range.group(2).contains("MAXVALUE")) {
                bounds.add(range.group(1) + "\u0001" + range.group(2));
            } else if (strategy.equals("l") && list.matches()) {
                bounds.addAll(CheckHints.items(list.group(1)));
            }
        }
    }

    private static List<Integer> ints(Array array) throws SQLException {
        List<Integer> ints = new ArrayList<>();
        if (array != null) {
            for (Object each : (Object[]) array.getArray()) {
                ints.add(((Number) each).intValue());
            }
        }
        return ints;
    }
}
