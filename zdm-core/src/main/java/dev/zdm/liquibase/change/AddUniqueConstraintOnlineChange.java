package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.ddl.ConcurrentIndexBuild;
import dev.zdm.jobs.JobDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/**
 * A unique constraint without a long lock: {@code CREATE UNIQUE INDEX CONCURRENTLY} (see
 * {@link ConcurrentIndexBuild}), then {@code ADD CONSTRAINT ... UNIQUE USING INDEX} (a short lock). Duplicates
 * make the build fail; its INVALID index is dropped and nothing changes. By default both run as background jobs,
 * {@code <table>.index.<constraint>} then {@code <table>.unique.<constraint>}; {@code inline="true"} runs them now.
 */
@DatabaseChange(name = "addUniqueConstraintOnline", description = "Adds a unique constraint from an index built concurrently",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AddUniqueConstraintOnlineChange extends AbstractSlowWorkChange {

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
        String attach = attachSql(q(tableName));
        // Built when used, not now: Liquibase generates statements before it validates the attributes.
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return new ConcurrentIndexBuild(constraintName, createSql(q(tableName)), where()).offlineSql() + ";\n"
                        + lockTimeoutSql() + ";\n" + attach;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                ConcurrentIndexBuild build = new ConcurrentIndexBuild(constraintName, createSql(q(tableName)), where());
                Catalog catalog = new Catalog(connection, where());
                if (catalog.constraintExists(tableName, constraintName)) {
                    return;
                }
                if (!runsInline(connection)) {
                    String table = jobTable(connection, tableName);
                    String index = CreateIndexConcurrentlyChange.jobName(tableName, constraintName);
                    register(connection, List.of(JobDefinition.index(index, table, constraintName, createSql(table), List.of()),
                            JobDefinition.ddl(tableName + ".unique." + constraintName, table, List.of(attachSql(table)),
                                    List.of(index))));
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

    private String createSql(String table) {
        return "CREATE UNIQUE INDEX CONCURRENTLY " + q(constraintName) + " ON " + table + " ("
                + AddForeignKeyOnlineChange.quoted(columnNames) + ")";
    }

    private String attachSql(String table) {
        return "ALTER TABLE " + table + " ADD CONSTRAINT " + q(constraintName) + " UNIQUE USING INDEX " + q(constraintName);
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        for (String column : AddForeignKeyOnlineChange.columns(columnNames)) {
            catalog.requireColumn("columnNames", tableName, column);
        }
    }

    @Override
    protected List<String> jobNames() {
        return List.of(CreateIndexConcurrentlyChange.jobName(tableName, constraintName), tableName + ".unique." + constraintName);
    }

    /** The constraint if attached, else the index its job built (or left INVALID), else nothing. */
    @Override
    protected List<Step> undoSteps() {
        return List.of(locking("ALTER TABLE " + q(tableName) + " DROP CONSTRAINT IF EXISTS " + q(constraintName)),
                waiting("DROP INDEX CONCURRENTLY IF EXISTS " + q(constraintName)));
    }

    @Override
    public String getConfirmationMessage() {
        return "Unique constraint " + constraintName + " added online to " + tableName;
    }
}
