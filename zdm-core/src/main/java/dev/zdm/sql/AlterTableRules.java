package dev.zdm.sql;

import dev.zdm.sql.AlterAction.ConstraintType;
import java.util.List;
import java.util.Optional;

/** The rules for the actions of {@code ALTER TABLE}. */
final class AlterTableRules {

    private AlterTableRules() {
    }

    static void judge(AlterAction action, TableName table, String sql, SchemaFacts facts, boolean small, boolean created,
            LockLevel held, List<Finding> findings) {
        String column = action.column();
        switch (action.type()) {
            case ADD_COLUMN -> {
                if (small) {
                    return;
                }
                boolean serial = action.dataType() != null && SqlType.isSerial(action.dataType());
                if (action.notNull() && action.expression() == null && action.generated() == null && !serial) {
                    findings.add(new Finding(Rule.ADD_COLUMN_NOT_NULL, table, column, sql, null));
                }
                if ("stored".equals(action.generated()) || "identity".equals(action.generated())) {
                    findings.add(new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql, action.generated() + " column"));
                } else if (serial) {
                    findings.add(new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql, action.dataType().strip() + " type"));
                } else if (action.dataType() != null && facts.domainHasConstraints(typeName(action.dataType())).orElse(false)) {
                    findings.add(new Finding(Rule.ADD_COLUMN_REWRITE, table, column, sql,
                            "domain " + action.dataType().strip() + " has constraints, checked row by row"));
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
                String collation = keeps == null ? collationChange(facts, table, action) : null;
                if (keeps != null) {
                    findings.add(new Finding(Rule.COLUMN_TYPE_REWRITE, table, column, sql, keeps));
                } else if (collation != null) {
                    findings.add(new Finding(Rule.COLUMN_COLLATION_CHANGE, table, column, sql, collation));
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
            case VALIDATE_CONSTRAINT -> {
                if (!small && held.blocksWrites()) {
                    findings.add(new Finding(Rule.SCAN_UNDER_LOCK, table, null, sql, "VALIDATE CONSTRAINT " + action.newName()
                            + " after this transaction took " + held.sqlName() + " on the table"));
                }
            }
            case ATTACH_PARTITION -> attachPartition(action, table, sql, facts, findings);
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
                } else if (type == ConstraintType.PRIMARY_KEY) {
                    primaryKeyUsingIndex(action, table, sql, facts, findings);
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

    /** PRIMARY KEY USING INDEX sets every column of the index NOT NULL: a scan for each one not proven. */
    private static void primaryKeyUsingIndex(AlterAction action, TableName table, String sql, SchemaFacts facts,
            List<Finding> findings) {
        Optional<List<String>> columns = facts.indexColumns(action.expression());
        if (columns.isEmpty()) {
            findings.add(new Finding(Rule.SET_NOT_NULL_SCAN, table, null, sql,
                    "PRIMARY KEY USING INDEX sets the index's columns NOT NULL, and they are not known"));
            return;
        }
        for (String column : columns.get()) {
            if (facts.isNullable(table, column).orElse(true) && !facts.hasValidatedNotNullCheck(table, column)) {
                findings.add(new Finding(Rule.SET_NOT_NULL_SCAN, table, column, sql,
                        "PRIMARY KEY USING INDEX sets the nullable column NOT NULL"));
            }
        }
    }

    /** ATTACH PARTITION scans the partition unless it is empty or validated CHECKs on its key columns prove the bound. */
    private static void attachPartition(AlterAction action, TableName parent, String sql, SchemaFacts facts,
            List<Finding> findings) {
        TableName partition = action.references();
        if (partition != null && SafetyJudge.isSmall(partition, facts)) {
            return;
        }
        Optional<List<String>> key = parent == null ? Optional.empty() : facts.partitionKey(parent);
        boolean proven = partition != null && key.isPresent() && !key.get().isEmpty()
                && key.get().stream().allMatch(column -> facts.hasValidatedCheckOn(partition, column)
                        && facts.hasValidatedNotNullCheck(partition, column)); // the bound implies NOT NULL
        if (!proven) {
            findings.add(new Finding(Rule.ATTACH_PARTITION_SCAN, partition == null ? parent : partition, null, sql,
                    key.isPresent() ? "no validated CHECK on " + String.join(", ", key.get()) : null));
        }
    }

    /** Why the type change changes the column's collation (so its indexes are rebuilt); {@code null} when it does not. */
    private static String collationChange(SchemaFacts facts, TableName table, AlterAction action) {
        Optional<String> current = facts.columnCollation(table, action.column());
        if (action.collation() != null) {
            if (current.isEmpty() || !current.get().equals(action.collation())) {
                return "COLLATE " + TableName.quote(action.collation())
                        + current.map(c -> " replaces " + TableName.quote(c)).orElse(", the current collation is not known");
            }
            return null;
        }
        if (current.isPresent() && !current.get().equals("default")) {
            return "the new type takes the default collation instead of " + TableName.quote(current.get());
        }
        return null;
    }

    /** The type's name without modifiers or schema, as a domain is looked up. */
    static String typeName(String dataType) {
        List<Token> tokens = SqlLexer.tokenize(dataType);
        String name = null;
        for (Token t : tokens) {
            if (t.isSymbol("(") || t.isSymbol("[")) {
                break;
            }
            if (t.isName()) {
                name = t.identifier();
            }
        }
        return name == null ? dataType.strip() : name;
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
