package dev.zdm.liquibase.change;

import dev.zdm.columnchange.*;
import dev.zdm.schema.ZdmSchema;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;

/**
 * Release N+2: drops what kept the old column alive, in short steps: the reverse trigger and function, the old
 * constraints, the helper NOT NULL check, the old indexes (concurrently), then the old column itself.
 */
@DatabaseChange(name = "contractColumnType", description = "Drops the old column after a cutover (release N+2)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class ContractColumnTypeChange extends AbstractColumnStageChange {


    @Override
    protected List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: drops the reverse trigger, the old constraints and indexes (concurrently) and then "
                        + getTableName() + "." + ZdmNames.of(getColumnName() + dev.zdm.ZdmDefaults.OLD_SUFFIX) + ", each step short";
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                contract(connection);
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", getTableName());
        ZdmSchema.ensure(connection); // a change recorded by an older zdm is read in today's shape
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change == null && ColumnChangeRecord.lastContractedType(connection, getTableName(), getColumnName()) != null) {
            return; // contracted already: nothing to do
        }
        if (change == null || change.stage() == ColumnChangeRecord.Stage.EXPANDED) {
            throw catalog.fail("columnName", getTableName() + "." + getColumnName() + " has not been cut over; deploy"
                    + " cutoverColumnType in an earlier release first");
        }
        String revert = RevertCutoverColumnTypeChange.jobName(getTableName(), getColumnName());
        String[] reverting = dev.zdm.columnchange.Sql.row(connection, "SELECT state FROM zdm_job WHERE name = ?"
                + " AND state IN ('PENDING', 'RUNNING', 'PAUSED')", revert);
        if (reverting != null) {
            throw catalog.fail("columnName", "a revert of the cutover of " + getTableName() + "." + getColumnName() + " is under"
                    + " way in the background (job " + revert + ", " + reverting[0] + "); cancel it to keep the new type, or let it"
                    + " finish");
        }
    }

    /** Drops, by the names the change recorded, what kept the old column alive; then the column. */
    private void contract(Connection connection) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change == null || (change.stage() != ColumnChangeRecord.Stage.CUTOVER
                && change.stage() != ColumnChangeRecord.Stage.CONTRACTING)) {
            return;
        }
        // Recorded before the first drop: once the reverse trigger is gone the old column goes stale, so no revert.
        change.stage(connection, ColumnChangeRecord.Stage.CONTRACTING);
        String t = TableName.quote(getTableName());
        List<String> steps = new ArrayList<>(MirrorSql.drop(getTableName(), getColumnName(), change.oldColumn()));
        for (ColumnChangeRecord.CreatedObject constraint : change.objects()) {
            if (constraint.kind() == ColumnChangeRecord.Kind.OLD_CONSTRAINT || constraint.kind() == ColumnChangeRecord.Kind.NOT_NULL_CHECK) {
                steps.add("ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + TableName.quote(constraint.name()));
            }
        }
        Sql.execute(connection, steps);
        for (ColumnChangeRecord.CreatedObject index : change.objects(ColumnChangeRecord.Kind.OLD_INDEX)) {
            Sql.execute(connection, List.of("DROP INDEX CONCURRENTLY IF EXISTS " + TableName.quote(index.name())));
        }
        Sql.execute(connection, List.of("ALTER TABLE " + t + " DROP COLUMN IF EXISTS " + TableName.quote(change.oldColumn())));
        change.stage(connection, ColumnChangeRecord.Stage.CONTRACTED);
    }

    @Override
    public String getConfirmationMessage() {
        return "Old column of " + getTableName() + "." + getColumnName() + " dropped";
    }

}
