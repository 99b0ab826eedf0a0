package dev.zdm.sql;

import java.util.ArrayList;
import java.util.List;

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
        if (!statement.isJudged()) {
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
                LockLevel held = table == null ? LockLevel.NONE : facts.heldLock(table);
                for (AlterAction action : statement.actions()) {
                    AlterTableRules.judge(action, table, sql, facts, small, created, held, findings);
                    held = held.max(action.lockLevel());
                }
            }
            case UPDATE, DELETE, DO_BLOCK, TRUNCATE, DROP_OBJECT, ALTER_INDEX, ALTER_DOMAIN ->
                    OtherRules.judge(statement, facts, findings);
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
                for (TableName each : statement.has("FULL") ? statement.tables() : List.<TableName>of()) {
                    if (!isSmall(each, facts)) {
                        findings.add(new Finding(Rule.TABLE_REWRITE, each, null, sql, "VACUUM FULL"));
                    }
                }
                if (statement.has("FULL") && statement.tables().isEmpty()) {
                    findings.add(new Finding(Rule.TABLE_REWRITE, null, null, sql, "VACUUM FULL of every table"));
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
                for (TableName each : statement.tables()) {
                    if (!facts.createdInThisRun(each)) {
                        findings.add(new Finding(Rule.DROP_TABLE, each, null, sql, null));
                    }
                }
            }
            default -> {
                // other DDL takes short catalog locks; the guard's lock timeout keeps them safe
            }
        }
        return findings;
    }

    /** Whether rewriting or scanning the table is instant: it is known empty (or new and not known to be filled). */
    static boolean isSmall(TableName table, SchemaFacts facts) {
        return table != null && (facts.createdInThisRun(table) && facts.isEmpty(table).orElse(true)
                || facts.isEmpty(table).orElse(false));
    }
}
