package dev.zdm.rehearse;

/**
 * A column of a table to fill.
 *
 * @param quoted its name, quoted where needed
 * @param defaultExpression {@code pg_get_expr} of its default, or {@code null}
 * @param identity {@code a} (ALWAYS), {@code d} (BY DEFAULT) or empty
 * @param generated {@code s} (stored), {@code v} (virtual) or empty
 */
record FillColumn(int attnum, String name, String quoted, SqlType type, boolean notNull, String defaultExpression,
        String identity, String generated) {

    /** Whether the database makes the value itself: serial, identity, or a generated column. */
    boolean databaseMade() {
        return !generated.isEmpty() || !identity.isEmpty()
                || (defaultExpression != null && defaultExpression.startsWith("nextval("));
    }

    boolean required() {
        return notNull || type.domainNotNull();
    }
}
