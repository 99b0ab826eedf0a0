package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One set-based INSERT for a table: a value expression per column from the catalog, parent keys joined by row number
 * for FOREIGN KEYs, and the table's CHECKs, domain CHECKs and partition bounds as a filter over the generated rows:
 * <pre>
 * INSERT INTO t (a, b, parent_id)
 * SELECT s.a, s.b, s.parent_id FROM (SELECT expr_a AS a, expr_b AS b, zdm_p0.zdm_k0 AS parent_id
 *     FROM generate_series(?, ?) AS zdm_s(zdm_n)
 *     JOIN (SELECT row_number() OVER () - 1 AS zdm_rn, id AS zdm_k0 FROM parent WHERE id IS NOT NULL) zdm_p0
 *       ON zdm_p0.zdm_rn = (zdm_n - 1) % 1234) s
 * WHERE (checks) AND (partition constraints OR ...) LIMIT ? ON CONFLICT DO NOTHING
 * </pre>
 */
final class InsertPlan {

    /** How far the plan goes to satisfy CHECKs. */
    enum Variant {
        /** Generated values, rows filtered by every check. */
        FILTERED,
        /** Generated values, only partition bounds filtered (the check filter itself failed). */
        UNFILTERED,
        /** Columns the checks mention NULL (where nullable) or their default; rows filtered by every check. */
        CHECKED_COLUMNS_PLAIN
    }

    /** A ready statement (parameters: first and last series number, row limit), or why none can be built. */
    record Insert(String sql, long maxN, String limitedBy, String impossible) {
    }

    private final Connection connection;
    private final FillTable table;
    private final Set<String> deferred;

    InsertPlan(Connection connection, FillTable table, Set<String> deferred) {
        this.connection = connection;
        this.table = table;
        this.deferred = deferred;
    }

    Insert build(Variant variant, boolean onConflict) throws SQLException {
        Set<Integer> checked = new HashSet<>();
        List<String> checkExpressions = new ArrayList<>();
        for (FillTable.Check check : table.checks()) {
            checked.addAll(check.columns());
            checkExpressions.add(check.expression());
        }
        for (FillColumn column : table.columns()) {
            for (String domainCheck : column.type().domainChecks()) {
                checked.add(column.attnum());
                checkExpressions.add(domainCheck.replaceAll("\\bVALUE\\b", java.util.regex.Matcher.quoteReplacement(column.quoted())));
            }
        }
        Map<String, CheckHints.Hint> hints = CheckHints.read(checkExpressions);
        Map<Integer, String> expressions = new HashMap<>();
        List<String> joins = new ArrayList<>();
        long maxN = Long.MAX_VALUE;
        String limitedBy = null;
        boolean overriding = false;
        for (ForeignKey key : table.foreignKeys()) {
            boolean nullable = FillOrder.nullable(table, key);
            if (deferred.contains(key.name())) {
                key.columns().forEach(attnum -> expressions.put(attnum, nullOf(table.column(attnum))));
                continue;
            }
            if (key.columns().stream().anyMatch(expressions::containsKey)) {
                continue; // a column in two keys takes the first key's parent
            }
            String where = String.join(" AND ", key.parentColumns().stream().map(c -> c + " IS NOT NULL").toList());
            long parents = count("SELECT count(*) FROM " + key.parentTable() + " WHERE " + where);
            if (parents == 0) {
                if (nullable) {
                    key.columns().forEach(attnum -> expressions.put(attnum, nullOf(table.column(attnum))));
                    continue;
                }
                return new Insert(null, 0, null, "foreign key " + key.name() + " references " + key.parentTable()
                        + ", which has no rows" + (key.parentOid() == table.oid() ? " (a NOT NULL self-reference)" : ""));
            }
            String alias = "zdm_p" + joins.size();
            List<String> select = new ArrayList<>();
            for (int i = 0; i < key.columns().size(); i++) {
                select.add(key.parentColumns().get(i) + " AS zdm_k" + i);
                FillColumn column = table.column(key.columns().get(i));
                expressions.put(column.attnum(), alias + ".zdm_k" + i);
                overriding |= column.identity().equals("a");
                if (table.uniqueColumns().contains(column.attnum()) && parents < maxN) {
                    maxN = parents;
                    limitedBy = "column " + column.name() + " is unique and references " + key.parentTable() + " (" + parents + " rows)";
                }
            }
            joins.add(" JOIN (SELECT row_number() OVER () - 1 AS zdm_rn, " + String.join(", ", select) + " FROM " + key.parentTable()
                    + " WHERE " + where + ") " + alias + " ON " + alias + ".zdm_rn = (" + ValueExpressions.N + " - 1) % " + parents);
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Set<Integer> included = new HashSet<>();
        for (FillColumn column : table.columns()) {
            String expression = expressions.get(column.attnum());
            if (!column.generated().isEmpty() || (expression == null && column.databaseMade())) {
                continue;
            }
            if (expression == null && variant == Variant.CHECKED_COLUMNS_PLAIN && checked.contains(column.attnum())) {
                if (!column.required()) {
                    expression = nullOf(column);
                } else if (column.defaultExpression() != null) {
                    continue;
                }
            }
            if (expression == null) {
                boolean unique = table.uniqueColumns().contains(column.attnum());
                ValueExpressions.Value value = PartitionValues.of(table, column);
                if (value == null) {
                    value = ValueExpressions.of(column.type(), unique, hints.getOrDefault(column.name(), CheckHints.Hint.NONE),
                            column.attnum());
                }
                if (value == null) {
                    if (!column.required()) {
                        expression = nullOf(column);
                    } else if (column.defaultExpression() != null) {
                        continue;
                    } else {
                        return new Insert(null, 0, null, "column " + column.name() + " of type " + column.type().name()
                                + ": zdm has no generator for this type (or no value of it fits the column's checks), and the column is NOT NULL without a default");
                    }
                } else {
                    expression = value.sql();
                    if (value.maxN() < maxN) {
                        maxN = value.maxN();
                        limitedBy = "column " + column.name() + " (" + column.type().name() + ") must hold "
                                + (unique ? "distinct values" : "values allowed by its checks") + ", at most " + value.maxN();
                    }
                    if (!unique && !column.required() && !table.partitionKey().contains(column.attnum())) {
                        expression = "CASE WHEN " + ValueExpressions.N + " % 10 = 3 THEN NULL ELSE " + expression + " END";
                    }
                }
            }
            names.add(column.quoted());
            values.add(expression + " AS " + column.quoted());
            included.add(column.attnum());
        }
        List<String> filters = new ArrayList<>();
        if (variant != Variant.UNFILTERED) {
            for (FillTable.Check check : table.checks()) {
                if (included.containsAll(check.columns())) {
                    filters.add("(" + check.expression() + ") IS NOT FALSE");
                }
            }
            for (FillColumn column : table.columns()) {
                for (String domainCheck : column.type().domainChecks()) {
                    if (included.contains(column.attnum())) {
                        filters.add("(" + domainCheck.replaceAll("\\bVALUE\\b", java.util.regex.Matcher.quoteReplacement(column.quoted()))
                                + ") IS NOT FALSE");
                    }
                }
            }
        }
        if (!table.routing().isEmpty() && table.partitionKey().stream().allMatch(included::contains)) {
            filters.add("(" + String.join(" OR ", table.routing()) + ")");
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.name());
        if (!names.isEmpty()) {
            sql.append(" (").append(String.join(", ", names)).append(")");
        }
        if (overriding) {
            sql.append(" OVERRIDING SYSTEM VALUE");
        }
        sql.append(" SELECT ").append(String.join(", ", names.stream().map(n -> "s." + n).toList()));
        sql.append(" FROM (SELECT ").append(values.isEmpty() ? "" : String.join(", ", values))
                .append(" FROM generate_series(?::bigint, ?::bigint) AS zdm_s(").append(ValueExpressions.N).append(")");
        joins.forEach(sql::append);
        sql.append(") s");
        if (!filters.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", filters));
        }
        sql.append(" LIMIT ?");
        if (onConflict) {
            sql.append(" ON CONFLICT DO NOTHING");
        }
        return new Insert(sql.toString(), maxN, limitedBy, null);
    }

    private static String nullOf(FillColumn column) {
        return "NULL::" + column.type().name();
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
