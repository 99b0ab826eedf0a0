package dev.zdm.liquibase.change;

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
        ColumnChangeRecord change = ColumnChangeRecord.find(connection, getTableName(), getColumnName());
        if (change == null || "EXPANDED".equals(change.stage())) {
            throw catalog.fail("columnName", getTableName() + "." + getColumnName() + " has not been cut over; deploy"
                    + " cutoverColumnType in an earlier release first");
        }
    }

    private void contract(Connection connection) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.find(connection, getTableName(), getColumnName());
        if (!"CUTOVER".equals(change.stage())) {
            return;
        }
        String t = TableName.quote(getTableName());
        List<String> steps = new ArrayList<>(MirrorSql.drop(getTableName(), getColumnName(), change.oldColumn()));
        for (String[] constraint : ColumnSwap.rows(connection, "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?)"
                + " AND (conname LIKE '%\\_zdm\\_old' OR conname = ?)", t, ZdmNames.of(getTableName(), change.shadow(), "nn"))) {
            steps.add("ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + TableName.quote(constraint[0]));
        }
        ColumnSwap.execute(connection, steps);
        for (String[] index : ColumnSwap.rows(connection, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid ="
                + " i.indexrelid WHERE i.indrelid = to_regclass(?) AND c.relname LIKE '%\\_zdm\\_old'", t)) {
            ColumnSwap.execute(connection, List.of("DROP INDEX CONCURRENTLY IF EXISTS " + TableName.quote(index[0])));
        }
        ColumnSwap.execute(connection, List.of("ALTER TABLE " + t + " DROP COLUMN IF EXISTS " + TableName.quote(change.oldColumn())));
        change.stage(connection, "CONTRACTED");
    }

    @Override
    public String getConfirmationMessage() {
        return "Old column of " + getTableName() + "." + getColumnName() + " dropped";
    }

}
