package dev.zdm.liquibase.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.exception.ValidationErrors;

/**
 * Keeps {@code targetColumnName} equal to {@code using(sourceColumnName)} on every write (see {@link MirrorSql}).
 * {@code using} is an SQL expression in terms of the source column's name, e.g. {@code file_size::bigint} or
 * {@code lower(id)::uuid}; by default the source value is assigned and converted to the target's type.
 */
@DatabaseChange(name = "createMirrorTrigger", description = "Keeps a target column in sync with a source column",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class CreateMirrorTriggerChange extends AbstractZdmChange {

    private String tableName;
    private String sourceColumnName;
    private String targetColumnName;
    private String using;

    @DatabaseChangeProperty(description = "Table of both columns", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column whose writes are mirrored", requiredForDatabase = "postgresql")
    public String getSourceColumnName() {
        return sourceColumnName;
    }

    public void setSourceColumnName(String sourceColumnName) {
        this.sourceColumnName = sourceColumnName;
    }

    @DatabaseChangeProperty(description = "Column that receives using(source)", requiredForDatabase = "postgresql")
    public String getTargetColumnName() {
        return targetColumnName;
    }

    public void setTargetColumnName(String targetColumnName) {
        this.targetColumnName = targetColumnName;
    }

    @DatabaseChangeProperty(description = "SQL expression over the source column; default: the source, converted")
    public String getUsing() {
        return using;
    }

    public void setUsing(String using) {
        this.using = using;
    }

    @Override
    protected void validateMore(ValidationErrors errors) {
        checkIdentifier(errors, "tableName", tableName);
        checkIdentifier(errors, "sourceColumnName", sourceColumnName);
        checkIdentifier(errors, "targetColumnName", targetColumnName);
        if (sourceColumnName != null && sourceColumnName.equals(targetColumnName)) {
            errors.addError(where() + ": sourceColumnName and targetColumnName must differ");
        }
    }

    @Override
    protected List<Step> steps() {
        return List.of(Step.sql(MirrorSql.rejectsTable()), functionStep(),
                locking(MirrorSql.insertTrigger(tableName, sourceColumnName, targetColumnName)),
                locking(MirrorSql.updateTrigger(tableName, sourceColumnName, targetColumnName)));
    }

    /**
     * The trigger function: without an exception block (no subtransaction per row) where the conversion cannot
     * fail, which depends on the columns' types and so is decided when the change runs.
     */
    private Step functionStep() {
        String general = MirrorSql.function(tableName, sourceColumnName, targetColumnName, using);
        return new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: where the conversion cannot fail (e.g. integer to bigint) this function is created"
                        + " without the exception block\n" + general;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                Catalog catalog = new Catalog(connection, where());
                boolean safe = MirrorSql.cannotFail(using, sourceColumnName, catalog.columnType(tableName, sourceColumnName),
                        catalog.columnType(tableName, targetColumnName));
                Step.sql(safe ? MirrorSql.fastFunction(tableName, sourceColumnName, targetColumnName, using) : general)
                        .execute(connection);
            }
        };
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        catalog.requireColumn("sourceColumnName", tableName, sourceColumnName);
        String targetType = catalog.requireColumn("targetColumnName", tableName, targetColumnName);
        catalog.requireExpression("using", tableName, using == null ? q(sourceColumnName) : using, targetType);
    }

    @Override
    protected Change[] createInverses() {
        DropMirrorTriggerChange inverse = new DropMirrorTriggerChange();
        inverse.setTableName(tableName);
        inverse.setSourceColumnName(sourceColumnName);
        inverse.setTargetColumnName(targetColumnName);
        inverse.setUsing(using);
        return new Change[] { inverse };
    }

    @Override
    public String getConfirmationMessage() {
        return "Mirror trigger " + tableName + "." + sourceColumnName + " -> " + targetColumnName + " created";
    }
}
