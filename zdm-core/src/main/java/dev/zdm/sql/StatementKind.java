package dev.zdm.sql;

/** What a statement does, as far as the safety rules care. */
public enum StatementKind {
    /** SELECT, INSERT, UPDATE, DELETE, MERGE, WITH, VALUES, COPY, CALL, SET, SHOW and the like. */
    NOT_DDL(false),
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
    /** Any other CREATE, ALTER, DROP, COMMENT, GRANT or REVOKE: catalog work with short locks. */
    OTHER_DDL(true);

    private final boolean ddl;

    StatementKind(boolean ddl) {
        this.ddl = ddl;
    }

    public boolean isDdl() {
        return ddl;
    }
}
