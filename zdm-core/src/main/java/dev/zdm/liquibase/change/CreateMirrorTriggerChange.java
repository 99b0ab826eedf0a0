package dev.zdm.liquibase.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.exception.ValidationErrors;

/**
 * Keeps {@code targetColumnName} equal to {@code using(sourceColumnName)} on every write (see {@link MirrorSql}).
 * {@code using} is an SQL expression in terms of the source column's name, e.g. {@code file_size::bigint} or
 * {@code lower(id)::uuid}; by default the source value is assigned and converted to the target's type.
 */
@DatabaseChange(name = "createMirrorTrigger", description = "Keeps a target column in sync with a source column",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class CreateMirrorTriggerChange extends AbstractMirrorChange {


    @Override
    protected void validateMore(ValidationErrors errors) {
        checkIdentifier(errors, "tableName", getTableName());
        checkIdentifier(errors, "sourceColumnName", getSourceColumnName());
        checkIdentifier(errors, "targetColumnName", getTargetColumnName());
        if (getSourceColumnName() != null && getSourceColumnName().equals(getTargetColumnName())) {
            errors.addError(where() + ": getSourceColumnName() and getTargetColumnName() must differ");
        }
    }

    @Override
    protected List<Step> steps() {
        return List.of(Step.sql(MirrorSql.rejectsTable()), functionStep(),
                locking(MirrorSql.insertTrigger(getTableName(), getSourceColumnName(), getTargetColumnName())),
                locking(MirrorSql.updateTrigger(getTableName(), getSourceColumnName(), getTargetColumnName())));
    }

    /**
     * The trigger function: without an exception block (no subtransaction per row) where the conversion cannot
     * fail, which depends on the columns' types and so is decided when the change runs.
     */
    private Step functionStep() {
        String general = MirrorSql.function(getTableName(), getSourceColumnName(), getTargetColumnName(), getUsing());
        return new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: where the conversion cannot fail (e.g. integer to bigint) this function is created"
                        + " without the exception block\n" + general;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                Catalog catalog = new Catalog(connection, where());
                boolean safe = MirrorSql.cannotFail(getUsing(), getSourceColumnName(), catalog.columnType(getTableName(), getSourceColumnName()),
                        catalog.columnType(getTableName(), getTargetColumnName()));
                Step.sql(safe ? MirrorSql.fastFunction(getTableName(), getSourceColumnName(), getTargetColumnName(), getUsing()) : general)
                        .execute(connection);
            }
        };
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", getTableName());
        catalog.requireColumn("sourceColumnName", getTableName(), getSourceColumnName());
        String targetType = catalog.requireColumn("targetColumnName", getTableName(), getTargetColumnName());
        catalog.requireExpression("using", getTableName(), getUsing() == null ? q(getSourceColumnName()) : getUsing(), targetType);
    }

    @Override
    protected Change[] createInverses() {
        return new Change[] { copyTo(new DropMirrorTriggerChange()) };
    }

    @Override
    public String getConfirmationMessage() {
        return "Mirror trigger " + getTableName() + "." + getSourceColumnName() + " -> " + getTargetColumnName() + " created";
    }
}
