package dev.zdm.rehearse;

import java.util.List;

/**
 * A FOREIGN KEY of a table to fill.
 *
 * @param columns the child columns (attnums), in key order
 * @param parentTable the referenced table's schema-qualified name
 * @param parentColumns the referenced columns, quoted, in key order
 */
record ForeignKey(String name, List<Integer> columns, long parentOid, String parentTable, List<String> parentColumns,
        boolean deferrable) {
}
