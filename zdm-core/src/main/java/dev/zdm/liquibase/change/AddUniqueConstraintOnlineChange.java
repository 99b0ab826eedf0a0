package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.ddl.ConcurrentIndexBuild;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.change.core.DropUniqueConstraintChange;

/**
 * A unique constraint without a long lock: {@code CREATE UNIQUE INDEX CONCURRENTLY} (see
 * {@link ConcurrentIndexBuild}), then {@code ADD CONSTRAINT ... UNIQUE USING INDEX} (a short lock). Duplicates
 * make the build fail; its INVALID index is dropped and nothing changes.
 */
@DatabaseChange(name = "addUniqueConstraintOnline", description = "Adds a unique constraint from an index built concurrently",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AddUniqueConstraintOnlineChange extends AbstractZdmChange {

    private String tableName;
    private String columnNames;
    private String constraintName;

    @DatabaseChangeProperty(description = "Table", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Columns, comma-separated", requiredForDatabase = "postgresql")
    public String getColumnNames() {
        return columnNames;
    }

    public void setColumnNames(String columnNames) {
        this.columnNames = columnNames;
    }

    @DatabaseChangeProperty(description = "Name of the constraint (and of its index)", requiredForDatabase = "postgresql")
    public String getConstraintName() {
        return constraintName;
    }

    public void setConstraintName(String constraintName) {
        this.constraintName = constraintName;
    }

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("columnNames", columnNames, Fragment.COLUMN_LIST),
                attribute("constraintName", constraintName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        String create = "CREATE UNIQUE INDEX CONCURRENTLY " + q(constraintName) + " ON " + q(tableName) + " ("
                + AddForeignKeyOnlineChange.quoted(columnNames) + ")";
        String attach = "ALTER TABLE " + q(tableName) + " ADD CONSTRAINT " + q(constraintName) + " UNIQUE USING INDEX "
                + q(constraintName);
        // Built when used, not now: Liquibase generates statements before it validates the attributes.
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return new ConcurrentIndexBuild(constraintName, create, where()).offlineSql() + ";\n" + lockTimeoutSql() + ";\n"
                        + attach;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                ConcurrentIndexBuild build = new ConcurrentIndexBuild(constraintName, create, where());
                Catalog catalog = new Catalog(connection, where());
                if (catalog.constraintExists(tableName, constraintName)) {
                    return;
                }
                try {
                    build.run(connection);
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) {
                        throw new ZdmChangeException("zdm: " + where() + ": " + tableName + " (" + columnNames
                                + ") has duplicate values: " + e.getMessage() + ". The index was dropped; nothing changed.", e);
                    }
                    throw e;
                }
                AddNotNullConstraintOnlineChange.run(connection, attach);
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        for (String column : AddForeignKeyOnlineChange.columns(columnNames)) {
            catalog.requireColumn("columnNames", tableName, column);
        }
    }

    @Override
    protected Change[] createInverses() {
        DropUniqueConstraintChange inverse = new DropUniqueConstraintChange();
        inverse.setTableName(tableName);
        inverse.setConstraintName(constraintName);
        return new Change[] { inverse };
    }

    @Override
    public String getConfirmationMessage() {
        return "Unique constraint " + constraintName + " added online to " + tableName;
    }
}
