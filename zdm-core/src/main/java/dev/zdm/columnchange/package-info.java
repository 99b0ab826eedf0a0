/**
 * The column type change, framework-free: what exists on a column ({@link dev.zdm.columnchange.ColumnInventory},
 * {@link dev.zdm.columnchange.ColumnDependents}), the mirror trigger ({@link dev.zdm.columnchange.MirrorSql},
 * {@link dev.zdm.columnchange.Mirrors}), the record of one change and everything zdm created for it
 * ({@link dev.zdm.columnchange.ColumnChangeRecord}), the rows that did not convert
 * ({@link dev.zdm.columnchange.MirrorRejects}) and the swap as a list of statements that can be printed and applied
 * ({@link dev.zdm.columnchange.ColumnSwap}). The Liquibase change types in {@code dev.zdm.liquibase.change} are thin
 * adapters over it.
 */
package dev.zdm.columnchange;
