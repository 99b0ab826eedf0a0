package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.jobs.JobDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.exception.ValidationErrors;

/**
 * A foreign key without a long lock: {@code ADD CONSTRAINT ... NOT VALID} (short lock on both tables), then
 * {@code VALIDATE CONSTRAINT} in its own transaction (scans without blocking writes). Rows that reference
 * nothing remove the constraint again and stop with a clear error.
 */
@DatabaseChange(name = "addForeignKeyOnline", description = "Adds a foreign key without blocking writes during validation",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AddForeignKeyOnlineChange extends AbstractSlowWorkChange {

    private static final Set<String> ON_DELETE = Set.of("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION");

    private String baseTableName;
    private String baseColumnNames;
    private String referencedTableName;
    private String referencedColumnNames;
    private String constraintName;
    private String onDelete;

    @DatabaseChangeProperty(description = "Referencing table", requiredForDatabase = "postgresql")
    public String getBaseTableName() {
        return baseTableName;
    }

    public void setBaseTableName(String baseTableName) {
        this.baseTableName = baseTableName;
    }

    @DatabaseChangeProperty(description = "Referencing columns, comma-separated", requiredForDatabase = "postgresql")
    public String getBaseColumnNames() {
        return baseColumnNames;
    }

    public void setBaseColumnNames(String baseColumnNames) {
        this.baseColumnNames = baseColumnNames;
    }

    @DatabaseChangeProperty(description = "Referenced table", requiredForDatabase = "postgresql")
    public String getReferencedTableName() {
        return referencedTableName;
    }

    public void setReferencedTableName(String referencedTableName) {
        this.referencedTableName = referencedTableName;
    }

    @DatabaseChangeProperty(description = "Referenced columns, comma-separated", requiredForDatabase = "postgresql")
    public String getReferencedColumnNames() {
        return referencedColumnNames;
    }

    public void setReferencedColumnNames(String referencedColumnNames) {
        this.referencedColumnNames = referencedColumnNames;
    }

    @DatabaseChangeProperty(description = "Name of the constraint", requiredForDatabase = "postgresql")
    public String getConstraintName() {
        return constraintName;
    }

    public void setConstraintName(String constraintName) {
        this.constraintName = constraintName;
    }

    @DatabaseChangeProperty(description = "ON DELETE action: CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION")
    public String getOnDelete() {
        return onDelete;
    }

    public void setOnDelete(String onDelete) {
        this.onDelete = onDelete;
    }

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    protected void validateMore(ValidationErrors errors) {
        if (onDelete != null && !ON_DELETE.contains(onDelete.toUpperCase(java.util.Locale.ROOT).strip())) {
            errors.addError(where() + ": onDelete '" + onDelete + "' is not one of " + ON_DELETE);
        }
        if (baseColumnNames != null && referencedColumnNames != null
                && columns(baseColumnNames).size() != columns(referencedColumnNames).size()) {
            errors.addError(where() + ": baseColumnNames and referencedColumnNames must name as many columns");
        }
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("baseTableName", baseTableName, Fragment.IDENTIFIER),
                attribute("baseColumnNames", baseColumnNames, Fragment.COLUMN_LIST),
                attribute("referencedTableName", referencedTableName, Fragment.IDENTIFIER),
                attribute("referencedColumnNames", referencedColumnNames, Fragment.COLUMN_LIST),
                attribute("constraintName", constraintName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return baseTableName;
    }

    static List<String> columns(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String quoted(String list) {
        return String.join(", ", columns(list).stream().map(AbstractZdmChange::q).toList());
    }

    /** {@code FOREIGN KEY (...) REFERENCES ... (...) [ON DELETE ...]}. */
    private String definition(String referencedTable) {
        return "FOREIGN KEY (" + quoted(baseColumnNames) + ") REFERENCES " + referencedTable + " ("
                + quoted(referencedColumnNames) + ")"
                + (onDelete == null ? "" : " ON DELETE " + onDelete.toUpperCase(java.util.Locale.ROOT).strip());
    }

    @Override
    protected List<Step> steps() {
        String table = q(baseTableName);
        String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + q(constraintName) + " " + definition(q(referencedTableName)) + " NOT VALID";
        String validate = "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + q(constraintName);
        String drop = "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + q(constraintName);
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return lockTimeoutSql() + ";\n" + add + ";\nSET lock_timeout = 0;\n" + validate;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                Catalog catalog = new Catalog(connection, where());
                if (!runsInline(connection)) {
                    // Added NOT VALID by its job right before it validates, and dropped again if rows reference nothing.
                    register(connection, List.of(JobDefinition.addAndValidate(baseTableName + ".fk." + constraintName,
                            jobTable(connection, baseTableName), constraintName, definition(jobTable(connection, referencedTableName)), List.of())));
                    return;
                }
                if (!catalog.constraintExists(baseTableName, constraintName)) {
                    AddNotNullConstraintOnlineChange.run(connection, add);
                }
                try {
                    AddNotNullConstraintOnlineChange.run(connection, validate);
                } catch (SQLException e) {
                    AddNotNullConstraintOnlineChange.run(connection, drop);
                    throw new ZdmChangeException("zdm: " + where() + ": rows of " + baseTableName + " (" + baseColumnNames
                            + ") reference no row of " + referencedTableName + " (" + referencedColumnNames + "): "
                            + e.getMessage() + ". The constraint was removed again; nothing changed.", e);
                }
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("baseTableName", baseTableName);
        catalog.requireTable("referencedTableName", referencedTableName);
        for (String column : columns(baseColumnNames)) {
            catalog.requireColumn("baseColumnNames", baseTableName, column);
        }
        for (String column : columns(referencedColumnNames)) {
            catalog.requireColumn("referencedColumnNames", referencedTableName, column);
        }
    }

    @Override
    protected List<String> jobNames() {
        return List.of(baseTableName + ".fk." + constraintName);
    }

    /** The constraint is dropped if it is there: its job adds it, so a rollback before the job ran finds none. */
    @Override
    protected List<Step> undoSteps() {
        return List.of(locking("ALTER TABLE " + q(baseTableName) + " DROP CONSTRAINT IF EXISTS " + q(constraintName)));
    }

    @Override
    public String getConfirmationMessage() {
        return "Foreign key " + constraintName + " added online to " + baseTableName;
    }
}
