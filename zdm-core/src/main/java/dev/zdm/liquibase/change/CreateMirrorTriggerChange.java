package dev.zdm.liquibase.change;

import dev.zdm.columnchange.*;

import dev.zdm.jobs.PinnedSettings;
import dev.zdm.schema.ZdmSchema;

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
        if (getSourceColumnName() != null && getSourceColumnName().equals(getTargetColumnName())) {
            errors.addError(where() + ": sourceColumnName and targetColumnName must differ");
        }
    }

    @Override
    protected List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                MirrorSql.Spec spec = new MirrorSql.Spec(getTableName(), getSourceColumnName(), getTargetColumnName(),
                        getUsing() != null ? getUsing() : q(getSourceColumnName()), List.of(getSourceColumnName()), null,
                        PinnedSettings.NONE, false, false);
                return "-- zdm: 'liquibase update' also creates zdm's tables, pins the migrating session's TimeZone, DateStyle,"
                        + " IntervalStyle and extra_float_digits in the function, watches every column the expression reads,"
                        + " and leaves out the exception block where the catalog shows the conversion cannot fail; this"
                        + " script cannot read the catalog, so its function records failed conversions in "
                        + MirrorSql.REJECTS_TABLE + " when that table exists\n" + String.join(";\n", MirrorSql.create(spec));
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                ZdmSchema.ensure(connection);
                Catalog catalog = new Catalog(connection, where());
                String using = getUsing() != null ? getUsing() : Mirrors.defaultUsing(connection, getTableName(),
                        getSourceColumnName(), getTargetColumnName(), catalog.columnType(getTableName(), getTargetColumnName()));
                if (using == null) {
                    throw catalog.fail("using", "PostgreSQL has no assignment cast from " + getSourceColumnName() + "'s type to "
                            + getTargetColumnName() + "'s; say how to convert, e.g. using: \"" + getSourceColumnName() + "::"
                            + catalog.columnType(getTableName(), getTargetColumnName()) + "\"");
                }
                MirrorSql.Spec spec = Mirrors.spec(connection, getTableName(), getSourceColumnName(),
                        getTargetColumnName(), using, PinnedSettings.of(connection), false);
                List<String> after = Mirrors.firingAfter(connection, spec);
                if (!after.isEmpty()) {
                    throw catalog.fail("tableName", Mirrors.orderProblem(spec, after));
                }
                Mirrors.install(connection, spec);
            }
        });
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
