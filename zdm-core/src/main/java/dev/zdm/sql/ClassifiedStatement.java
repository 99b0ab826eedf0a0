package dev.zdm.sql;

import java.util.List;

/**
 * What one SQL statement is, for the safety rules: its kind, the table it locks and how strongly, and
 * for ALTER TABLE its actions.
 *
 * @param sql the statement's text
 * @param kind what it does
 * @param table the table (or materialized view) it locks, or {@code null} when unknown or none
 * @param objectName the index, trigger or view it creates or drops, or {@code null}
 * @param lockLevel the strongest lock it takes on {@code table}
 * @param concurrently whether it runs {@code CONCURRENTLY} (and so cannot run in a transaction block)
 * @param actions the actions of an ALTER TABLE; empty otherwise
 * @param flags details of other kinds: {@code UNIQUE}, {@code FULL}, {@code AS} (CREATE TABLE AS), {@code CASCADE},
 *     {@code WHOLE_TABLE} (an UPDATE or DELETE whose WHERE does not limit it) ...
 * @param tables every table it names (VACUUM a, b; DROP TABLE a, b; TRUNCATE a, b), {@code table} first
 */
public record ClassifiedStatement(String sql, StatementKind kind, TableName table, String objectName, LockLevel lockLevel,
        boolean concurrently, List<AlterAction> actions, java.util.Set<String> flags, List<TableName> tables) {

    public ClassifiedStatement(String sql, StatementKind kind, TableName table, String objectName, LockLevel lockLevel,
            boolean concurrently, List<AlterAction> actions, java.util.Set<String> flags) {
        this(sql, kind, table, objectName, lockLevel, concurrently, actions, flags, table == null ? List.of() : List.of(table));
    }

    /** The shared result for every statement that is not DDL. */
    public static final ClassifiedStatement NOT_DDL = new ClassifiedStatement(null, StatementKind.NOT_DDL, null, null,
            LockLevel.NONE, false, List.of(), java.util.Set.of());

    public boolean isDdl() {
        return kind.isDdl();
    }

    /** Whether the judge looks at it: DDL, and in a migration also UPDATE, DELETE and DO. */
    public boolean isJudged() {
        return kind.isDdl() || kind.isJudgedInMigrations();
    }

    /** Whether the statement has the flag (upper-case word). */
    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /**
     * Whether the statement waits for other transactions by design and blocks no one while it does:
     * {@code CONCURRENTLY} work, {@code VALIDATE CONSTRAINT}, plain {@code VACUUM} and {@code ANALYZE}.
     * Such statements get neither a lock timeout nor a statement timeout.
     */
    public boolean isLongRunningButNonBlocking() {
        if (concurrently) {
            return true;
        }
        if (kind == StatementKind.ANALYZE || (kind == StatementKind.VACUUM && !has("FULL"))) {
            return true;
        }
        return kind == StatementKind.ALTER_TABLE && !actions.isEmpty()
                && actions.stream().allMatch(a -> a.type() == AlterAction.ActionType.VALIDATE_CONSTRAINT);
    }
}
