package dev.zdm.sql;

import java.util.List;
import java.util.Locale;

/** The rules for UPDATE, DELETE, DO, TRUNCATE, DROP ... CASCADE, ALTER INDEX and ALTER DOMAIN. */
final class OtherRules {

    private OtherRules() {
    }

    static void judge(ClassifiedStatement statement, SchemaFacts facts, List<Finding> findings) {
        TableName table = statement.table();
        String sql = statement.sql();
        switch (statement.kind()) {
            case UPDATE, DELETE -> {
                if (!statement.has("WHOLE_TABLE") || isLiquibaseTable(table) || SafetyJudge.isSmall(table, facts)) {
                    return;
                }
                LockLevel held = table == null ? LockLevel.NONE : facts.heldLock(table);
                if (held.blocksWrites()) {
                    findings.add(new Finding(Rule.SCAN_UNDER_LOCK, table, null, sql, statement.kind().name()
                            + " of every row after this transaction took " + held.sqlName() + " on the table"));
                } else if (table == null || !facts.createdInThisRun(table)) {
                    findings.add(new Finding(Rule.WHOLE_TABLE_WRITE, table, null, sql, null));
                }
            }
            case DO_BLOCK -> findings.add(new Finding(Rule.DO_BLOCK, null, null, sql, null));
            case TRUNCATE -> {
                for (TableName each : statement.tables()) {
                    if (!facts.createdInThisRun(each) && !facts.isEmpty(each).orElse(false)) {
                        findings.add(new Finding(Rule.TRUNCATE, each, null, sql, null));
                    }
                }
            }
            case DROP_OBJECT -> {
                if (statement.has("CASCADE")) {
                    findings.add(new Finding(Rule.DROP_CASCADE, null, null, sql, "DROP "
                            + statement.flags().stream().filter(f -> !f.equals("CASCADE")).findFirst().orElse("")
                                    .toLowerCase(Locale.ROOT) + " " + statement.objectName()));
                }
            }
            case ALTER_INDEX -> {
                if (statement.has("TABLESPACE") && statement.objectName() != null) {
                    TableName indexTable = facts.indexTable(statement.objectName()).orElse(null);
                    if (!SafetyJudge.isSmall(indexTable, facts)) {
                        findings.add(new Finding(Rule.INDEX_SET_TABLESPACE, indexTable, null, sql, "index "
                                + statement.objectName()));
                    }
                }
            }
            case ALTER_DOMAIN -> {
                if (statement.has("ADD_CONSTRAINT") && !statement.has("NOT_VALID")
                        && facts.domainInUse(statement.objectName()).orElse(true)) {
                    findings.add(new Finding(Rule.DOMAIN_CONSTRAINT_SCAN, null, null, sql, "domain " + statement.objectName()));
                }
            }
            default -> {
            }
        }
    }

    /** Liquibase's own bookkeeping writes are not the migration's. */
    private static boolean isLiquibaseTable(TableName table) {
        return table != null && table.name().toLowerCase(Locale.ROOT).startsWith("databasechangelog");
    }
}
