package dev.zdm.sql;

/**
 * The safety rules shared by the runtime guard and the lint. Each has a stable kebab-case id (used in
 * messages, metrics and reports), what goes wrong, and the safe alternative.
 */
public enum Rule {
    COLUMN_TYPE_REWRITE("column-type-rewrite",
            "ALTER COLUMN ... TYPE rewrites the whole table and its indexes while holding an ACCESS EXCLUSIVE lock: "
                    + "every query on the table waits until it ends",
            "change the type online with zdm's expandColumnType (shadow column, mirror trigger, background backfill), "
                    + "then cutoverColumnType and contractColumnType in later releases"),
    COLUMN_TYPE_REVALIDATES("column-type-revalidates",
            "this type change keeps the data, but PostgreSQL re-checks the column's CHECK constraints by a full scan "
                    + "and rebuilds indexes on expressions of it, under an ACCESS EXCLUSIVE lock",
            "use zdm's expandColumnType/cutoverColumnType, or drop the CHECK, change the type, and add the CHECK back "
                    + "NOT VALID with a separate VALIDATE CONSTRAINT"),
    ADD_COLUMN_REWRITE("add-column-rewrite",
            "ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), serial ...), an identity "
                    + "or a stored generated column rewrites the whole table under an ACCESS EXCLUSIVE lock",
            "add the column nullable with no default (or a constant default), set the default with a separate "
                    + "ALTER COLUMN ... SET DEFAULT, and fill existing rows with zdm's backfillColumn"),
    SET_NOT_NULL_SCAN("set-not-null-scan",
            "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated "
                    + "CHECK (column IS NOT NULL) exists",
            "use zdm's addNotNullConstraintOnline (CHECK ... NOT VALID, VALIDATE, SET NOT NULL, drop the CHECK)"),
    ADD_CHECK_SCAN("add-check-scan",
            "ADD CHECK without NOT VALID scans the whole table under an ACCESS EXCLUSIVE lock",
            "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction (it blocks no writes)"),
    ADD_FOREIGN_KEY_SCAN("add-foreign-key-scan",
            "ADD FOREIGN KEY without NOT VALID scans the table while blocking writes to it and to the referenced table",
            "use zdm's addForeignKeyOnline (NOT VALID, then VALIDATE CONSTRAINT in its own transaction)"),
    ADD_UNIQUE_BUILDS_INDEX("add-unique-builds-index",
            "ADD UNIQUE / PRIMARY KEY / EXCLUDE builds an index under an ACCESS EXCLUSIVE lock",
            "use zdm's addUniqueConstraintOnline (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX)"),
    CREATE_INDEX_BLOCKING("create-index-blocking",
            "CREATE INDEX without CONCURRENTLY blocks every write to the table for the whole build",
            "use zdm's createIndexConcurrently (or CREATE INDEX CONCURRENTLY) in a changeset with runInTransaction=\"false\""),
    REINDEX_BLOCKING("reindex-blocking",
            "REINDEX without CONCURRENTLY blocks writes (and reads that use the index) for the whole build",
            "use REINDEX ... CONCURRENTLY in a changeset with runInTransaction=\"false\""),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction",
            "CONCURRENTLY cannot run inside a transaction block; PostgreSQL refuses it",
            "put it in its own changeset with runInTransaction=\"false\""),
    CONCURRENTLY_PARTITIONED("concurrently-partitioned",
            "CREATE INDEX CONCURRENTLY is not supported on a partitioned table",
            "CREATE INDEX ON ONLY the parent (instant, invalid), build the index CONCURRENTLY on each partition, "
                    + "then ALTER INDEX ... ATTACH PARTITION each one"),
    TABLE_REWRITE("table-rewrite",
            "VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED, SET TABLESPACE and SET ACCESS METHOD rewrite the whole table "
                    + "under an ACCESS EXCLUSIVE lock",
            "run an online tool such as pg_repack or pg_squeeze outside the migration, or do it in a maintenance window "
                    + "with allowUnsafe"),
    REFRESH_BLOCKING("refresh-blocking",
            "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view until it ends",
            "use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view)"),
    DROP_COLUMN("drop-column",
            "DROP COLUMN breaks application instances that still read or write the column",
            "first release code that no longer uses the column, then drop it in a later release with allowUnsafe "
                    + "naming that release (zdm's contractColumnType does this for type changes)"),
    DROP_TABLE("drop-table",
            "DROP TABLE breaks application instances that still use the table",
            "first release code that no longer uses the table, then drop it in a later release with allowUnsafe"),
    RENAME_COLUMN("rename-column",
            "RENAME COLUMN breaks application instances that still use the old name",
            "expand/contract: add the new column, keep it in sync with zdm's createMirrorTrigger and backfillColumn, "
                    + "switch the code, then drop the old column"),
    RENAME_TABLE("rename-table",
            "RENAME TO breaks application instances that still use the old name",
            "expand/contract: create the new table or an updatable view under the new name, switch the code, then drop "
                    + "the old name");

    private final String id;
    private final String problem;
    private final String fix;

    Rule(String id, String problem, String fix) {
        this.id = id;
        this.problem = problem;
        this.fix = fix;
    }

    /** Stable kebab-case id. */
    public String id() {
        return id;
    }

    /** What goes wrong. */
    public String problem() {
        return problem;
    }

    /** The safe alternative. */
    public String fix() {
        return fix;
    }

    /** The rule with this id. */
    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("No zdm rule '" + id + "'");
    }
}
