package dev.zdm.rehearse;

import java.util.List;
import java.util.Set;

/**
 * A table to fill, as read from the catalog.
 *
 * @param name schema-qualified, quoted where needed
 * @param partitioned whether it is a partitioned table (rows go in through it)
 * @param uniqueColumns attnums of columns in a PRIMARY KEY, UNIQUE index (also partial or on an expression) or
 *        exclusion constraint: their values must differ from row to row
 * @param checks the CHECK expressions ({@code pg_get_expr}), with the attnums each mentions
 * @param routing the partition constraints of the leaf partitions (any of them must hold), empty when every row
 *        routes (no partitions of a non-partitioned table, or a default partition)
 * @param partitionKey attnums of the partition key columns (values spread over the bounds)
 * @param boundValues per key column (single-column keys only): literal bounds of its partitions ({@code FROM}/
 *        {@code TO} pairs for range, every value for list)
 * @param hasTriggers whether the table has triggers of its own
 */
record FillTable(long oid, String name, boolean partitioned, List<FillColumn> columns, Set<Integer> uniqueColumns,
        List<Check> checks, List<ForeignKey> foreignKeys, List<String> routing, String partitionStrategy,
        List<Integer> partitionKey, List<String> boundValues, boolean hasTriggers) {

    /** A CHECK constraint: its expression and the columns it mentions. */
    record Check(String name, String expression, Set<Integer> columns) {
    }

    FillColumn column(int attnum) {
        for (FillColumn column : columns) {
            if (column.attnum() == attnum) {
                return column;
            }
        }
        throw new IllegalArgumentException(name + " has no column " + attnum);
    }
}
