package dev.zdm.liquibase.change;

import dev.zdm.columnchange.*;
import dev.zdm.schema.ZdmSchema;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;

/**
 * Undoes a cutover (until the contract): before any lock, a {@code NOT VALID} check on the old column and its
 * {@code VALIDATE} prove every value fits the old type (a size above 2^31-1 written since the cutover does not); then
 * the inverse swap in one short transaction, and the forward mirror trigger again. Primary keys are not reverted.
 */
@DatabaseChange(name = "revertCutoverColumnType", description = "Undoes cutoverColumnType before the contract",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class RevertCutoverColumnTypeChange extends AbstractColumnStageChange {


    @Override
    protected List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: VALIDATEs that every value of " + getTableName() + "." + getColumnName() + " fits its old column, then swaps"
                        + " back in one transaction whose LOCK TABLE waits at most zdm.cutover.lock-timeout";
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                revert(connection);
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", getTableName());
        ZdmSchema.ensure(connection); // a change recorded by an older zdm is read in today's shape
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change == null) {
            throw catalog.fail("columnName", getTableName() + "." + getColumnName() + " has no cutover to revert");
        }
        if (change.stage() == ColumnChangeRecord.Stage.CONTRACTING) {
            throw catalog.fail("columnName", "the contract of " + getTableName() + "." + getColumnName() + " has begun (the old"
                    + " column is no longer kept in sync), so the cutover can no longer be reverted; finish it with"
                    + " contractColumnType");
        }
        if (change.stage() == ColumnChangeRecord.Stage.CUTOVER) {
            ColumnSwap swap = ColumnSwap.read(change, connection, true);
            if (swap.primaryKey != null || swap.identity != null || !swap.uniqueConstraints.isEmpty()) {
                throw catalog.fail("columnName", "reverting the cutover of a primary key, identity or UNIQUE-constrained column"
                        + " is not supported; keep the new type, or restore the old column's key by hand");
            }
            if (!swap.missing.isEmpty()) {
                throw catalog.fail("columnName", "the revert cannot carry everything on " + getTableName() + "." + getColumnName()
                        + ": " + String.join("; ", swap.missing));
            }
        }
    }

    private void revert(Connection connection) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change == null || change.stage() != ColumnChangeRecord.Stage.CUTOVER) {
            return;
        }
        ColumnSwap swap = ColumnSwap.read(change, connection, true);
        String t = TableName.quote(getTableName());
        String old = TableName.quote(change.oldColumn());
        String col = TableName.quote(getColumnName());
        String check = TableName.quote(ZdmNames.of(getTableName(), change.oldColumn(), "fits"));
        List<String> dropCheck = List.of("ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + check);
        Sql.execute(connection, List.of(dropCheck.get(0),
                "ALTER TABLE " + t + " ADD CONSTRAINT " + check + " CHECK (" + (swap.notNull ? old + " IS NOT NULL"
                        : old + " IS NOT NULL OR " + col + " IS NULL") + ") NOT VALID"));
        try {
            Sql.execute(connection, List.of("ALTER TABLE " + t + " VALIDATE CONSTRAINT " + check));
        } catch (SQLException e) {
            List<String[]> samples = Sql.rows(connection, "SELECT " + col + "::text FROM " + t + " WHERE " + old
                    + " IS NULL AND " + col + " IS NOT NULL LIMIT 5");
            String[] count = Sql.row(connection, "SELECT count(*)::text FROM " + t + " WHERE " + old + " IS NULL AND "
                    + col + " IS NOT NULL");
            Sql.execute(connection, dropCheck);
            throw new ZdmChangeException("zdm: " + where() + ": " + count[0] + " value(s) of " + getTableName() + "." + getColumnName()
                    + " do not fit the old type " + change.oldType() + " (e.g. " + String.join(", ", samples.stream()
                            .map(r -> r[0]).toList()) + "); the cutover cannot be reverted. Nothing changed.", e);
        }
        try {
            SwapTransaction.run(connection, "revert of " + getTableName() + "." + getColumnName(), swap.lockOrder(), locks -> {
                Sql.execute(connection, swap.revert());
                Mirrors.install(connection, Mirrors.spec(connection, getTableName(), getColumnName(), change.shadow(),
                        change.using(), change.settings(), swap.notNull));
                Sql.execute(connection, dropCheck);
                change.at(ColumnChangeRecord.Stage.EXPANDED, swap.objectsAfterRevert()).save(connection);
            });
        } catch (SQLException | RuntimeException e) {
            // The check must not outlive a failed revert: validated, it would refuse writes of values the old type cannot hold.
            Sql.execute(connection, dropCheck);
            if (e instanceof SQLException sql && SwapTransaction.isLockTimeout(sql)) {
                throw sql; // the message names the tables, the budget and who held them
            }
            throw new ZdmChangeException("zdm: " + where() + ": the swap back of " + getTableName() + "." + getColumnName()
                    + " failed and was rolled back (the column is still " + change.newType() + ", the cutover stands): "
                    + e.getMessage() + ". Fix the cause (e.g. drop and recreate objects on " + getTableName()
                    + " that depend on the column) and run the revert again.", e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "Cutover of " + getTableName() + "." + getColumnName() + " reverted";
    }
}
