package dev.zdm.sql;

import dev.zdm.sql.AlterAction.ConstraintType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a classified statement against the rules, given what is known of the schema. The same judge
 * serves the runtime guard (live catalog) and the lint (replayed model).
 *
 * <p>A table with no rows, or one created earlier in this run, is exempt from the rules about long
 * locks: rewriting or scanning it is instant. A table created earlier in this run is also exempt from
 * the backward-compatibility rules (drop, rename): no running code uses it yet.
 */
public final class SafetyJudge {

    private SafetyJudge() {
    }

    /**
     * The rules {@code statement} breaks.
     *
     * @param inTransaction whether it runs inside a transaction block (a transactional changeset)
     */
    public static List<Finding> judge(ClassifiedStatement statement, SchemaFacts facts, boolean inTransaction) {
        if (!statement.isDdl()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        TableName table = statement.table();
        String sql = statement.sql();
        if (statement.concurrently() && inTransaction && statement.kind() != StatementKind.REFRESH_MATERIALIZED_VIEW) {
            findings.add(new Finding(Rule.CONCURRENTLY_IN_TRANSACTION, table, null, sql, null));
        }
        boolean created = table != null && facts.createdInThisRun(table);
        boolean small = table != null && (created && facts.isEmpty(table).orElse(true) || facts.isEmpty(table).orElse(false));
        switch (statement.kind()) {
            case ALTER_TABLE -> {
                for (AlterAction action : statement.actions()) {
                    alterAction(action, table, sql, facts, small, created, findings);
                }
            }
            case CREATE_INDEX -> {
                if (statement.concurrently() && table != null && facts.isPartitioned(table)) {
                    findings.add(new Finding(Rule.CONCURRENTLY_PARTITIONED, table, null, sql, null));
                } else if (!statement.concurrently() && !small) {
                    findings.add(new Finding(Rule.CREATE_INDEX_BLOCKING, table, null, sql, null));
                }
            }
            case REINDEX -> {
                if (!statement.concurrently() && !small) {
                    findings.add(new Finding(Rule.REINDEX_BLOCKING, table, null, sql, null));
                }
            }
            case VACUUM -> {
                if (statement.has("FULL") && !small) {
                    findings.add(new Finding(Rule.TABLE_REWRITE, table, null, sql, "VACUUM FULL"));
                }
            }
            case CLUSTER -> {
                if (!small) {
                    findings.add(new Finding(Rule.TABLE_REWRITE, table, null, sql, "CLUSTER"));
                }
            }
            case REFRESH_MATERIALIZED_VIEW -> {
                if (!statement.concurrently() && !small) {
                    findings.add(new Finding(Rule.REFRESH_BLOCKING, table, null, sql, null));
                }
            }
            case DROP_TABLE -> {
                if (!created) {
                    findings.add(new Finding(Rule.DROP_TABLE, table, null, sql, null));
                }
            }
            default -> {
                // other DDL takes short catalog locks; the guard's lock timeout keeps them safe
            }
        }
        return findings;
    }

    private static void alterAction(AlterAction action, TableName table, String sql, SchemaFacts facts, boolean small,
            boolean created, List<Finding> findings) {
        String column = action.column();
        switch (action.type()) {
            case ADD_COLUMN -> {
                if (small) {
                    return;
                }
                if ("stored".equals(action.generated()) || "identity".equals(action.generated())) {
                    findings.add(new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql, action.generated() + " column"));
                } else if (action.dataType() != null && SqlType.isSerial(action.dataType())) {
                    findings.add(new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql, action.dataType().strip() + " type"));
                } else {
                    Volatility.firstVolatileCall(action.expression(), facts).ifPresent(call -> findings.add(
                            new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql, "volatile default " + call)));
                }
            }
            case ALTER_COLUMN_TYPE -> {
                if (small) {
                    return;
                }
                Optional<String> current = facts.columnType(table, column);
                String keeps = keepsData(current, action);
                if (keeps != null) {
                    findings.add(new Finding(Rule.COLUMN_TYPE_REWRITE, table, column, sql, keeps));
                } else if (facts.hasCheckConstraintOn(table, column) || facts.hasExpressionIndexOn(table, column)) {
                    findings.add(new Finding(Rule.COLUMN_TYPE_REVALIDATES, table, column, sql,
                            facts.hasCheckConstraintOn(table, column) ? "a CHECK constraint uses the column"
                                    : "an expression index uses the column"));
                }
            }
            case SET_NOT_NULL -> {
                if (!small && !facts.hasValidatedNotNullCheck(table, column)) {
                    findings.add(new Finding(Rule.SET_NOT_NULL_SCAN, table, column, sql, null));
                }
            }
            case ADD_CONSTRAINT -> addConstraint(action, table, sql, facts, small, findings);
            case DROP_COLUMN -> {
                if (!created) {
                    findings.add(new Finding(Rule.DROP_COLUMN, table, column, sql, null));
                }
            }
            case RENAME_COLUMN -> {
                if (!created) {
                    findings.add(new Finding(Rule.RENAME_COLUMN, table, column, sql, "to " + action.newName()));
                }
            }
            case RENAME_TABLE -> {
                if (!created) {
                    findings.add(new Finding(Rule.RENAME_TABLE, table, null, sql, "to " + action.newName()));
                }
            }
            case SET_LOGGED, SET_UNLOGGED, SET_TABLESPACE -> {
                if (!small) {
                    findings.add(new Finding(Rule.TABLE_REWRITE, table, null, sql, action.type().name().replace('_', ' ')));
                }
            }
            default -> {
                // metadata-only or short-lock actions
            }
        }
    }

    private static void addConstraint(AlterAction action, TableName table, String sql, SchemaFacts facts, boolean small,
            List<Finding> findings) {
        if (small || action.notValid()) {
            return;
        }
        ConstraintType type = action.constraint();
        switch (type) {
            case CHECK -> findings.add(new Finding(Rule.ADD_CHECK_SCAN, table, action.column(), sql, null));
            case FOREIGN_KEY -> findings.add(new Finding(Rule.ADD_FOREIGN_KEY_SCAN, table, action.column(), sql,
                    action.references() == null ? null : "references " + action.references().sql()));
            case UNIQUE, PRIMARY_KEY, EXCLUDE -> {
                if (!action.usingIndex()) {
                    findings.add(new Finding(Rule.ADD_UNIQUE_BUILDS_INDEX, table, action.column(), sql, null));
                }
            }
            case NOT_NULL -> {
                if (!facts.hasValidatedNotNullCheck(table, action.column())) {
                    findings.add(new Finding(Rule.SET_NOT_NULL_SCAN, table, action.column(), sql, null));
                }
            }
            default -> {
            }
        }
    }

    /** {@code null} when the change keeps every value as stored; otherwise why it rewrites. */
    private static String keepsData(Optional<String> currentType, AlterAction action) {
        if (currentType.isEmpty()) {
            return "the column's current type is not known, so a rewrite must be assumed";
        }
        SqlType from = SqlType.parse(currentType.get());
        SqlType to = SqlType.parse(action.dataType());
        if (!SqlType.isBinaryCompatible(from, to)) {
            return currentType.get() + " to " + action.dataType().strip() + " is not binary compatible";
        }
        if (action.expression() != null && !isPlainReference(action.expression(), action.column(), to)) {
            return "USING " + action.expression().strip() + " computes new values";
        }
        return null;
    }

    /** Whether a USING expression is just the column, possibly cast to the new type. */
    private static boolean isPlainReference(String using, String column, SqlType to) {
        String expression = using.strip();
        while (expression.startsWith("(") && expression.endsWith(")") && balanced(expression.substring(1, expression.length() - 1))) {
            expression = expression.substring(1, expression.length() - 1).strip(); // Liquibase writes USING (col::type)
        }
        using = expression;
        var tokens = SqlLexer.tokenize(using);
        if (tokens.isEmpty() || !tokens.get(0).isName() || !tokens.get(0).identifier().equals(column)) {
            return false;
        }
        if (tokens.size() == 1) {
            return true;
        }
        if (!tokens.get(1).isSymbol("::")) {
            return false;
        }
        String cast = using.substring(tokens.get(1).end());
        return SqlType.parse(cast).equals(to);
    }

    private static boolean balanced(String text) {
        int depth = 0;
        for (Token token : SqlLexer.tokenize(text)) {
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")") && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
