package dev.zdm.sql;

/** PostgreSQL's table-level lock modes, weakest first, and what each does to other sessions. */
public enum LockLevel {
    NONE("no table lock"),
    ACCESS_SHARE("ACCESS SHARE"),
    ROW_SHARE("ROW SHARE"),
    ROW_EXCLUSIVE("ROW EXCLUSIVE"),
    SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE"),
    SHARE("SHARE"),
    SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE"),
    EXCLUSIVE("EXCLUSIVE"),
    ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE");

    private final String sqlName;

    LockLevel(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The mode as PostgreSQL spells it in {@code LOCK TABLE} and the docs. */
    public String sqlName() {
        return sqlName;
    }

    /** Whether holding this lock stops other sessions' INSERT, UPDATE and DELETE. */
    public boolean blocksWrites() {
        return compareTo(SHARE) >= 0;
    }

    /** Whether holding this lock stops other sessions' SELECT. */
    public boolean blocksReads() {
        return this == ACCESS_EXCLUSIVE;
    }

    /** The stronger of two levels. */
    public LockLevel max(LockLevel other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** Parses a mode as written in {@code LOCK TABLE ... IN mode MODE}, e.g. {@code share row exclusive}. */
    public static LockLevel parse(String mode) {
        String normalized = mode.trim().replaceAll("\\s+", "_").toUpperCase(java.util.Locale.ROOT);
        return valueOf(normalized);
    }
}
