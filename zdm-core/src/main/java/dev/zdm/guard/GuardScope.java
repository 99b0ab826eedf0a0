package dev.zdm.guard;

/** Which statements the guard looks at. */
public enum GuardScope {
    /** Statements run by Liquibase, or inside an explicit zdm scope. */
    MIGRATIONS,
    /** Every DDL statement run through the guarded DataSource. */
    ALL
}
