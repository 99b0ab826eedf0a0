package dev.zdm.sql;

import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * The names of the validated CHECKs that prove the column NOT NULL; empty when there are none or their names
     * are not known (a DROP CONSTRAINT on the table then counts as dropping the proof).
     */
    default Set<String> notNullCheckNames(TableName table, String column) {
        return Set.of();
    }

    /** Whether a validated CHECK constraint of the table uses the column. */
    default boolean hasValidatedCheckOn(TableName table, String column) {
        return false;
    }

    /** The strongest lock this transaction already holds on the table (the lint: none, it tracks its own). */
    default LockLevel heldLock(TableName table) {
        return LockLevel.NONE;
    }

    /** The column's collation ({@code default} for the database's); empty when not known or not collatable. */
    default Optional<String> columnCollation(TableName table, String column) {
        return Optional.empty();
    }

    /** Whether the column may hold nulls (no NOT NULL); empty when not known. */
    default Optional<Boolean> isNullable(TableName table, String column) {
        return Optional.empty();
    }

    /** The columns of an index; empty when not known. */
    default Optional<List<String>> indexColumns(String index) {
        return Optional.empty();
    }

    /** The table an index belongs to; empty when not known. */
    default Optional<TableName> indexTable(String index) {
        return Optional.empty();
    }

    /** Whether the type is a domain with a CHECK or NOT NULL constraint; empty when not known. */
    default Optional<Boolean> domainHasConstraints(String type) {
        return Optional.empty();
    }

    /** Whether a table with rows has a column of the domain; empty when not known. */
    default Optional<Boolean> domainInUse(String domain) {
        return Optional.empty();
    }

    /** The partition key columns of a partitioned table; empty when not known. */
    default Optional<List<String>> partitionKey(TableName table) {
        return Optional.empty();
    }
}
