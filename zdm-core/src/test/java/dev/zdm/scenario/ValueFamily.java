package dev.zdm.scenario;

/**
 * What kind of values a changing column holds, and the SQL of the objects built on it: each template is valid for the
 * old type and the new one, so a plain {@code ALTER ... TYPE} keeps it (where PostgreSQL can).
 */
enum ValueFamily {
    INTEGER("%s >= 0", "(%s * 2)", "%s > 100", "numeric GENERATED ALWAYS AS (%s * 2) STORED"),
    NUMERIC("%s >= 0", "(%s * 2)", "%s > 100", "numeric GENERATED ALWAYS AS (%s * 2) STORED"),
    STRING("%s <> ''", "lower(%s)", "%s LIKE '%%1'", "text GENERATED ALWAYS AS (lower(%s)) STORED"),
    UUID_STRING("%s <> ''", "lower(%s)", "%s LIKE '%%1'", "text GENERATED ALWAYS AS (lower(%s)) STORED"),
    /** timestamp to timestamptz: no expression or predicate on the column itself stays immutable. */
    TIMESTAMP("%s > '2000-01-01'", null, null, "timestamp GENERATED ALWAYS AS (%s + interval '1 day') STORED"),
    /** text holding digits: any expression over text would not type-check over integer. */
    DIGITS("(%s IS NOT NULL OR a >= 0)", null, null, "integer GENERATED ALWAYS AS (length(%s)) STORED");

    private final String check;
    private final String expression;
    private final String predicate;
    private final String generated;

    ValueFamily(String check, String expression, String predicate, String generated) {
        this.check = check;
        this.expression = expression;
        this.predicate = predicate;
        this.generated = generated;
    }

    String check(String column) {
        return check.formatted(column);
    }

    /** An index expression over the column, or {@code null} when none stays valid across the change. */
    String expression(String column) {
        return expression == null ? null : expression.formatted(column);
    }

    /** A partial index predicate; on another column where none over this one stays immutable. */
    String predicate(String column) {
        return predicate == null ? "a > 500" : predicate.formatted(column);
    }

    /** Type and expression of a stored generated column over the column. */
    String generated(String column) {
        return generated.formatted(column);
    }
}
