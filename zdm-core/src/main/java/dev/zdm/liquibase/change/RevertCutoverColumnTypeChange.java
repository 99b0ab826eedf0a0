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
 * Undoes a cutover (until the contract), see {@link ColumnRevert}: a {@code NOT VALID} check on the old column and its
 * {@code VALIDATE} prove every value fits the old type (a size above 2^31-1 written since the cutover does not); then
 * the inverse swap in one short transaction, and the forward mirror trigger again. By default both run in one background
 * job ({@code <table>.<column>.revert}), so the helper check refuses nothing beyond that run; {@code inline="true"} runs
 * them in the migration. Primary keys are not reverted.
 */
@DatabaseChange(name = "revertCutoverColumnType", description = "Undoes cutoverColumnType before the contract",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class RevertCutoverColumnTypeChange extends AbstractColumnStageChange {


    @Override
    protected List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: registers background job " + jobName(getTableName(), getColumnName()) + ": a CHECK ... NOT"
                        + " VALID + VALIDATE that proves every value of " + getTableName() + "." + getColumnName() + " fits its old"
                        + " column, then the swap back, in one transaction whose LOCK TABLE waits at most zdm.cutover.lock-timeout";
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
        ColumnRevert revert = ColumnRevert.of(connection, getTableName(), getColumnName());
        if (revert == null) {
            return;
        }
        try {
            if (AbstractSlowWorkChange.inline(inline, connection)) {
                revert.validateNow(connection);
                revert.swapBack(connection);
                return;
            }
        } catch (dev.zdm.ZdmException e) {
            throw new ZdmChangeException("zdm: " + where() + ": " + e.getMessage(), e);
        }
        // The proof that every value fits scans the table: a background job, which swaps back right after it.
        dev.zdm.jobs.Jobs.registerAgain(connection, dev.zdm.jobs.JobDefinition.revert(jobName(getTableName(), getColumnName()),
                AbstractSlowWorkChange.jobTable(connection, getTableName()), getTableName(), getColumnName(), List.of()));
        org.slf4j.LoggerFactory.getLogger("dev.zdm.liquibase").info("zdm: {}: the revert runs in the background: job {}"
                + " proves every value fits {}, then swaps the column back (watch it at /actuator/backfills or in zdm_job)",
                where(), jobName(getTableName(), getColumnName()), revert.change().oldType());
    }

    /** The name of the job that swaps {@code table.column} back. */
    public static String jobName(String table, String column) {
        return table + "." + column + ".revert";
    }

    private Boolean inline;

    @liquibase.change.DatabaseChangeProperty(description = "Validate and swap back inside the Liquibase run instead of as"
            + " background jobs. Default: zdm.jobs.inline (false)")
    public Boolean getInline() {
        return inline;
    }

    public void setInline(Boolean inline) {
        this.inline = inline;
    }

    @Override
    public String getConfirmationMessage() {
        return "Cutover of " + getTableName() + "." + getColumnName() + " reverted";
    }
}
