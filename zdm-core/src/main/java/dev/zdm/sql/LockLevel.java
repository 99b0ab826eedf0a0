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

    /** The mode as {@code pg_locks.mode} spells it, e.g. {@code ShareRowExclusiveLock}; {@code null} for {@link #NONE}. */
    public String pgLocksMode() {
        if (this == NONE) {
            return null;
        }
        StringBuilder mode = new StringBuilder();
        for (String word : name().split("_")) {
            mode.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return mode.append("Lock").toString();
    }

    /** Whether a session holding {@code held} on a table stops this lock being granted (PostgreSQL's conflict table). */
    public boolean conflictsWith(LockLevel held) {
        if (this == NONE || held == NONE) {
            return false;
        }
        return switch (this) {
            case ACCESS_SHARE -> held == ACCESS_EXCLUSIVE;
            case ROW_SHARE -> held.compareTo(EXCLUSIVE) >= 0;
            case ROW_EXCLUSIVE -> held.compareTo(SHARE) >= 0;
            case SHARE_UPDATE_EXCLUSIVE -> held.compareTo(SHARE_UPDATE_EXCLUSIVE) >= 0;
            case SHARE -> held == ROW_EXCLUSIVE || held == SHARE_UPDATE_EXCLUSIVE || held.compareTo(SHARE_ROW_EXCLUSIVE) >= 0;
            case SHARE_ROW_EXCLUSIVE -> held.compareTo(ROW_EXCLUSIVE) >= 0;
            case EXCLUSIVE -> held.compareTo(ROW_SHARE) >= 0;
            case ACCESS_EXCLUSIVE -> true;
            case NONE -> false;
        };
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
