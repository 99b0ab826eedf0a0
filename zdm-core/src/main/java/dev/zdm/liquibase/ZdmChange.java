package dev.zdm.liquibase;

/**
 * Marks zdm's own Liquibase change types. Their statements are safe by construction (their DROP and
 * RENAME steps are part of a checked recipe), so the guard gives them timeouts but does not judge them.
 */
public interface ZdmChange {
}
