package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.jobs.JobDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/**
 * {@code SET NOT NULL} without a long lock, each step in its own transaction:
 * <ol>
 *   <li>{@code ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID} (short lock);</li>
 *   <li>{@code VALIDATE CONSTRAINT c} (scans, but blocks no writes);</li>
 *   <li>{@code SET NOT NULL} (instant: PostgreSQL uses the validated check);</li>
 *   <li>{@code DROP CONSTRAINT c}.</li>
 * </ol>
 * A column that is already NOT NULL is left alone; a NULL found by VALIDATE removes the helper check again
 * and stops with a clear error, so nothing changes.
 */
@DatabaseChange(name = "addNotNullConstraintOnline", description = "Makes a column NOT NULL without a long lock",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class AddNotNullConstraintOnlineChange extends AbstractSlowWorkChange {

    private String tableName;
    private String columnName;

    @DatabaseChangeProperty(description = "Table of the column", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column to make NOT NULL", requiredForDatabase = "postgresql")
    public String getColumnName() {
        return columnName;
    }

    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    String checkName() {
        return ZdmNames.of("zdm_nn", tableName, columnName);
    }

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("columnName", columnName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        String table = q(tableName);
        String check = q(checkName());
        String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + q(columnName) + " IS NOT NULL) NOT VALID";
        String validate = "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check;
        String setNotNull = "ALTER TABLE " + table + " ALTER COLUMN " + q(columnName) + " SET NOT NULL";
        String drop = "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + check;
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return lockTimeoutSql() + ";\n" + add + ";\nSET lock_timeout = 0;\n" + validate + ";\n" + lockTimeoutSql()
                        + ";\n" + setNotNull + ";\n" + drop;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                Catalog catalog = new Catalog(connection, where());
                if (catalog.columnNotNull(tableName, columnName)) {
                    run(connection, drop);
                    return;
                }
                if (!runsInline(connection)) {
                    // The check is added by its job, right before it validates: even NOT VALID it refuses NULL writes.
                    String t = jobTable(connection, tableName);
                    String validation = tableName + ".not-null." + columnName + ".validate";
                    register(connection, List.of(
                            JobDefinition.addAndValidate(validation, t, checkName(), "CHECK (" + q(columnName) + " IS NOT NULL)",
                                    List.of()),
                            JobDefinition.ddl(tableName + ".not-null." + columnName, t, List.of("ALTER TABLE " + t
                                    + " ALTER COLUMN " + q(columnName) + " SET NOT NULL", "ALTER TABLE " + t
                                    + " DROP CONSTRAINT IF EXISTS " + check), List.of(validation))));
                    return;
                }
                if (!catalog.constraintExists(tableName, checkName())) {
                    run(connection, add);
                }
                try {
                    run(connection, validate);
                } catch (SQLException e) {
                    run(connection, drop);
                    throw new ZdmChangeException("zdm: " + where() + ": column " + tableName + "." + columnName
                            + " has NULL values, so it cannot be made NOT NULL; fill them first (e.g. with backfillColumn)."
                            + " The helper constraint was removed again; nothing changed.", e);
                }
                run(connection, setNotNull);
                run(connection, drop);
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        catalog.requireColumn("columnName", tableName, columnName);
    }

    @Override
    protected List<String> jobNames() {
        return List.of(tableName + ".not-null." + columnName + ".validate", tableName + ".not-null." + columnName);
    }

    /** NOT NULL off, and the helper check its job adds (if it got that far) dropped. */
    @Override
    protected List<Step> undoSteps() {
        return List.of(locking("ALTER TABLE " + q(tableName) + " ALTER COLUMN " + q(columnName) + " DROP NOT NULL"),
                locking("ALTER TABLE " + q(tableName) + " DROP CONSTRAINT IF EXISTS " + q(checkName())));
    }

    @Override
    public String getConfirmationMessage() {
        return tableName + "." + columnName + " made NOT NULL online";
    }

    static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
