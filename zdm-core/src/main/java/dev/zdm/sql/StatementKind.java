package dev.zdm.sql;

/** What a statement does, as far as the safety rules care. */
public enum StatementKind {
    /** SELECT, INSERT, UPDATE, DELETE, MERGE, WITH, VALUES, COPY, CALL, SET, SHOW and the like. */
    NOT_DDL(false),
    /** UPDATE: judged in migrations only (a whole-table write, or a write under a strong lock). */
    UPDATE(false, true),
    /** DELETE: judged in migrations only. */
    DELETE(false, true),
    /** DO block: what it runs is hidden; judged in migrations only. */
    DO_BLOCK(false, true),
    ALTER_TABLE(true),
    CREATE_TABLE(true),
    CREATE_INDEX(true),
    DROP_INDEX(true),
    DROP_TABLE(true),
    TRUNCATE(true),
    VACUUM(true),
    ANALYZE(true),
    CLUSTER(true),
    REINDEX(true),
    REFRESH_MATERIALIZED_VIEW(true),
    CREATE_TRIGGER(true),
    DROP_TRIGGER(true),
    LOCK_TABLE(true),
    ALTER_SEQUENCE(true),
    ALTER_INDEX(true),
    CREATE_DOMAIN(true),
    ALTER_DOMAIN(true),
    /** DROP TYPE, DOMAIN, SCHEMA, EXTENSION and the like; flag {@code CASCADE} when it cascades. */
    DROP_OBJECT(true),
    /** Any other CREATE, ALTER, DROP, COMMENT, GRANT or REVOKE: catalog work with short locks. */
    OTHER_DDL(true);

    private final boolean ddl;
    private final boolean judgedInMigrations;

    StatementKind(boolean ddl) {
        this(ddl, false);
    }

    StatementKind(boolean ddl, boolean judgedInMigrations) {
        this.ddl = ddl;
        this.judgedInMigrations = judgedInMigrations;
    }

    /** Whether a migration's statement of this kind is judged although it is not DDL. */
    public boolean isJudgedInMigrations() {
        return judgedInMigrations;
    }

    public boolean isDdl() {
        return ddl;
    }
}
