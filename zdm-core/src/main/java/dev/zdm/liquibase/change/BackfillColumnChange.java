package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.Jobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;

/**
 * Registers a backfill job: {@code targetColumnName = using} for every row, copied by the application's
 * background runners after deploy in throttled, resumable keyset batches. The change itself only writes one
 * row into zdm's job table, so it takes milliseconds at start-up whatever the table's size.
 */
@DatabaseChange(name = "backfillColumn", description = "Registers a background backfill of a column",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class BackfillColumnChange extends AbstractZdmChange {

    private String tableName;
    private String targetColumnName;
    private String using;
    private String jobName;
    private Integer batchSize;
    private String where;

    @DatabaseChangeProperty(description = "Table to backfill", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column to fill", requiredForDatabase = "postgresql")
    public String getTargetColumnName() {
        return targetColumnName;
    }

    public void setTargetColumnName(String targetColumnName) {
        this.targetColumnName = targetColumnName;
    }

    @DatabaseChangeProperty(description = "SQL expression over the table's columns, e.g. file_size::bigint",
            requiredForDatabase = "postgresql")
    public String getUsing() {
        return using;
    }

    public void setUsing(String using) {
        this.using = using;
    }

    @DatabaseChangeProperty(description = "Name of the job; default <tableName>.<targetColumnName>")
    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    @DatabaseChangeProperty(description = "Rows in the first batch; default zdm.backfill.batch-size")
    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    @DatabaseChangeProperty(description = "Predicate limiting the rows to fill")
    public String getWhere() {
        return where;
    }

    public void setWhere(String where) {
        this.where = where;
    }

    private String jobName() {
        return jobName != null ? jobName : tableName + "." + targetColumnName;
    }

    JobDefinition definition() {
        return JobDefinition.backfill(jobName, tableName, targetColumnName, using, where, batchSize, List.of());
    }

    @Override
    protected void validateMore(ValidationErrors errors) {
        if (batchSize != null && batchSize < 1) {
            errors.addError(where() + ": batchSize must be 1 or more, not " + batchSize);
        }
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("targetColumnName", targetColumnName, Fragment.IDENTIFIER),
                attribute("using", using, Fragment.EXPRESSION), attribute("where", where, Fragment.PREDICATE));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        // The definition is built when used, not now: Liquibase generates statements before it validates the attributes.
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: registers background job " + jobName() + " (creating zdm_job tables if missing):"
                        + " UPDATE " + q(tableName) + " SET " + q(targetColumnName) + " = (" + using + ")"
                        + (where == null ? "" : " WHERE " + where) + ", run in keyset batches by the application";
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                Jobs.register(connection, definition());
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        String type = catalog.requireColumn("targetColumnName", tableName, targetColumnName);
        catalog.requireExpression("using", tableName, using, type);
        catalog.requirePredicate("where", tableName, where);
        if (catalog.primaryKeyColumns(tableName) != 1) {
            throw catalog.fail("tableName", tableName + " needs a one-column primary key: zdm backfills walk it in keyset"
                    + " batches");
        }
    }

    @Override
    public boolean supportsRollback(Database database) {
        return true;
    }

    @Override
    public liquibase.statement.SqlStatement[] generateRollbackStatements(Database database) {
        return new liquibase.statement.SqlStatement[0]; // the job is left registered; rolling back the columns ends it
    }

    @Override
    public String getConfirmationMessage() {
        return "Backfill job " + jobName() + " registered";
    }
}
