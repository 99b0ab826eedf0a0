package dev.zdm.columnchange;

import dev.zdm.ZdmException;
import dev.zdm.liquibase.change.ZdmNames;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Undoing a cutover (until the contract): first prove that every value fits the old column — a {@code CHECK} on
 * {@code <column>_zdm_old} (which the reverse trigger keeps in sync, NULL where a value does not fit), added
 * {@code NOT VALID} and validated (a scan that blocks no writes) — then swap back in one short transaction
 * ({@link SwapTransaction}) and drop the check. The validation runs as a background job by default; the swap back is the
 * job after it ({@link #swapBack}).
 */
public final class ColumnRevert {

    private final ColumnChangeRecord change;
    private final ColumnSwap swap;
    private final String table;

    private ColumnRevert(ColumnChangeRecord change, ColumnSwap swap) {
        this.change = change;
        this.swap = swap;
        this.table = TableName.quote(change.table());
    }

    /** The revert of the column's cut-over change, or {@code null} when it is not cut over. */
    public static ColumnRevert of(Connection connection, String table, String column) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, table, column);
        if (change == null || change.stage() != ColumnChangeRecord.Stage.CUTOVER) {
            return null;
        }
        return new ColumnRevert(change, ColumnSwap.read(change, connection, true));
    }

    public ColumnChangeRecord change() {
        return change;
    }

    /** The helper check's name. */
    public String checkName() {
        return ZdmNames.of(change.table(), change.oldColumn(), "fits");
    }

    /** {@code CHECK (...)}: every value the column holds has its old-type twin. */
    public String checkDefinition() {
        String old = TableName.quote(change.oldColumn());
        String col = TableName.quote(change.column());
        return "CHECK (" + (swap.notNull ? old + " IS NOT NULL" : old + " IS NOT NULL OR " + col + " IS NULL") + ")";
    }

    /** Adds the check {@code NOT VALID} and validates it now; values that do not fit drop it again and are named. */
    public void validateNow(Connection connection) throws SQLException {
        String check = TableName.quote(checkName());
        Sql.execute(connection, List.of(dropCheck(), "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " " + checkDefinition()
                + " NOT VALID"));
        try {
            Sql.execute(connection, List.of("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check));
        } catch (SQLException e) {
            String old = TableName.quote(change.oldColumn());
            String col = TableName.quote(change.column());
            List<String[]> samples = Sql.rows(connection, "SELECT " + col + "::text FROM " + table + " WHERE " + old
                    + " IS NULL AND " + col + " IS NOT NULL LIMIT 5");
            Sql.execute(connection, List.of(dropCheck()));
            throw new ZdmException("values of " + change.table() + "." + change.column() + " do not fit the old type "
                    + change.oldType() + " (e.g. " + String.join(", ", samples.stream().map(r -> r[0]).toList())
                    + "); the cutover cannot be reverted. Nothing changed.", e);
        }
    }

    /**
     * The swap back, once the check is validated: one transaction within the cutover lock budget. A failure rolls back
     * and drops the check (validated, it would refuse writes of values the old type cannot hold).
     */
    public void swapBack(Connection connection) throws SQLException {
        swapBack(connection, false);
    }

    /**
     * The swap back; with {@code keepCheckOnLockTimeout} a swap that could not get its locks keeps the validated check
     * (the caller tries again: a background job), otherwise every failure drops it, within a short lock timeout.
     */
    public void swapBack(Connection connection, boolean keepCheckOnLockTimeout) throws SQLException {
        String[] validated = Sql.row(connection, "SELECT convalidated::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                + " AND conname = ?", table, checkName());
        if (validated == null || !"true".equals(validated[0])) {
            throw new ZdmException("the check " + checkName() + " that proves every value of " + change.table() + "."
                    + change.column() + " fits the old type is missing or not validated; run the revert again");
        }
        try {
            SwapTransaction.run(connection, "revert of " + change.table() + "." + change.column(), TableName.parse(table),
                    swap.lockOrder(), locks -> {
                Sql.execute(connection, swap.revert());
                Mirrors.install(connection, Mirrors.spec(connection, change.table(), change.column(), change.shadow(),
                        change.using(), change.settings(), swap.notNull));
                Sql.execute(connection, List.of(dropCheck()));
                change.at(ColumnChangeRecord.Stage.EXPANDED, swap.objectsAfterRevert()).save(connection);
            });
        } catch (SQLException | RuntimeException e) {
            boolean lockTimeout = e instanceof SQLException sql && SwapTransaction.isLockTimeout(sql);
            if (lockTimeout && keepCheckOnLockTimeout) {
                throw (SQLException) e;
            }
            String leftBehind = dropCheckWithinLockTimeout(connection);
            if (lockTimeout) {
                throw new SQLException(e.getMessage() + leftBehind, "55P03", e);
            }
            throw new ZdmException("the swap back of " + change.table() + "." + change.column() + " failed and was rolled"
                    + " back (the column is still " + change.newType() + ", the cutover stands): " + e.getMessage()
                    + ". Fix the cause (e.g. drop and recreate objects on " + change.table() + " that depend on the column)"
                    + " and run the revert again." + leftBehind, e);
        }
    }

    /**
     * Drops the helper check — validated, it refuses writes of values the old type cannot hold — each attempt under a
     * short lock timeout, so writers never queue behind the drop; returns "" once it is gone, or what to do by hand.
     */
    public String dropCheckWithinLockTimeout(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try {
            connection.setAutoCommit(false);
            for (int attempt = 1; attempt <= 10; attempt++) {
                try {
                    Sql.execute(connection, List.of("SET LOCAL lock_timeout = '200ms'", dropCheck()));
                    connection.commit();
                    return "";
                } catch (SQLException e) {
                    connection.rollback();
                    if (!SwapTransaction.isLockTimeout(e)) {
                        throw e;
                    }
                    try {
                        Thread.sleep(100L * attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return " The helper check " + checkName() + " could not be dropped (the table stayed locked) and still refuses"
                + " writes of values that do not fit " + change.oldType() + ": drop it once the table is free: " + dropCheck();
    }
    private String dropCheck() {
        return "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + TableName.quote(checkName());
    }
}
