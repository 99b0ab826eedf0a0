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
                    + "the old name"),
    SCAN_UNDER_LOCK("scan-under-lock",
            "this statement scans or writes the whole table while the same transaction still holds the strong lock an "
                    + "earlier statement took on it (ADD COLUMN then UPDATE, ADD CONSTRAINT ... NOT VALID then VALIDATE): "
                    + "every query on the table waits until the transaction ends",
            "put the slow statement in its own changeset after the one that takes the lock: fill a new column with "
                    + "zdm's backfillColumn, VALIDATE CONSTRAINT in a separate transaction (or zdm's addForeignKeyOnline / "
                    + "addNotNullConstraintOnline)"),
    WHOLE_TABLE_WRITE("whole-table-write",
            "an UPDATE or DELETE of every row of an existing table in a migration is one huge transaction: it holds a "
                    + "row lock on every row it touches until the migration commits, blocking the application's writes",
            "fill the column with zdm's backfillColumn (batched, throttled, resumable, after deploy); delete in batches "
                    + "from a background job"),
    ADD_COLUMN_NOT_NULL("add-column-not-null",
            "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table that has rows (every existing row would be null)",
            "add the column nullable (or with a constant DEFAULT), fill it with zdm's backfillColumn, then make it "
                    + "NOT NULL with zdm's addNotNullConstraintOnline"),
    DO_BLOCK("do-block",
            "a DO block hides the statements it runs (EXECUTE '...'), so zdm cannot judge them",
            "write the statements as plain SQL so zdm can judge them, or give the changeset allowUnsafe saying why the "
                    + "block is safe"),
    TRUNCATE("truncate",
            "TRUNCATE of an existing table deletes every row that running code uses, under an ACCESS EXCLUSIVE lock",
            "delete the rows the release no longer needs in batches from a background job, or give the changeset "
                    + "allowUnsafe naming why the data may go"),
    DROP_CASCADE("drop-cascade",
            "DROP TYPE, DOMAIN, SCHEMA or EXTENSION ... CASCADE also drops every column, table, view and function that "
                    + "depends on it, which running code still uses",
            "drop the dependent objects explicitly (each judged by zdm) in a release after the code stopped using them, "
                    + "then drop the object without CASCADE"),
    INDEX_SET_TABLESPACE("index-set-tablespace",
            "ALTER INDEX ... SET TABLESPACE copies the whole index under an ACCESS EXCLUSIVE lock on its table",
            "use REINDEX (TABLESPACE new_space, CONCURRENTLY) INDEX ... in a changeset with runInTransaction=\"false\""),
    COLUMN_COLLATION_CHANGE("column-collation-change",
            "changing a column's collation (ALTER COLUMN ... TYPE ... COLLATE, or a type change that drops its collation) "
                    + "rebuilds every index on the column under an ACCESS EXCLUSIVE lock",
            "use zdm's expandColumnType with the new collation on the shadow column, or build new indexes with the "
                    + "collation CONCURRENTLY and swap them"),
    ATTACH_PARTITION_SCAN("attach-partition-scan",
            "ATTACH PARTITION scans the whole partition under a lock that blocks its writes, unless a validated CHECK "
                    + "constraint on the partition already proves the partition bound",
            "first add a CHECK matching the bound NOT VALID and VALIDATE it in a separate transaction, then ATTACH "
                    + "PARTITION (instant), then drop the CHECK"),
    DOMAIN_CONSTRAINT_SCAN("domain-constraint-scan",
            "ALTER DOMAIN ... ADD CONSTRAINT (or SET NOT NULL) scans every column of every table that uses the domain, "
                    + "blocking their writes",
            "add the constraint NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT in a separate transaction");

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
