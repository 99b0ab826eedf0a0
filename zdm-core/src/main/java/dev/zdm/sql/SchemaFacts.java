package dev.zdm.sql;

import java.util.Optional;

/**
 * What is known of the schema when a statement is judged. The runtime guard answers from the live
 * catalog; the lint answers from a model replayed from the changelog. An unknown answer makes the
 * rules assume the worse case.
 */
public interface SchemaFacts {

    /** Answers nothing: every rule assumes a large, pre-existing table. */
    SchemaFacts UNKNOWN = new SchemaFacts() {
    };

    /** Whether the table has no rows; empty when not known. */
    default Optional<Boolean> isEmpty(TableName table) {
        return Optional.empty();
    }

    /** Whether the table was created earlier in this migration run (so no running code uses it yet). */
    default boolean createdInThisRun(TableName table) {
        return false;
    }

    /** Whether the table is partitioned. */
    default boolean isPartitioned(TableName table) {
        return false;
    }

    /** The column's current type as {@code format_type} prints it, e.g. {@code character varying(32)}. */
    default Optional<String> columnType(TableName table, String column) {
        return Optional.empty();
    }

    /** Whether a validated {@code CHECK (column IS NOT NULL)} exists, which makes SET NOT NULL instant. */
    default boolean hasValidatedNotNullCheck(TableName table, String column) {
        return false;
    }

    /** Whether a CHECK constraint of the table uses the column. */
    default boolean hasCheckConstraintOn(TableName table, String column) {
        return false;
    }

    /** Whether an index of the table has an expression (or predicate) that uses the column. */
    default boolean hasExpressionIndexOn(TableName table, String column) {
        return false;
    }

    /** Whether the function is volatile; empty when not known. */
    default Optional<Boolean> isVolatileFunction(String name) {
        return Optional.empty();
    }
}
