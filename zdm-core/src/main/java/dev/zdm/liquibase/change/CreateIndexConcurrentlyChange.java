package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.ddl.ConcurrentIndexBuild;
import dev.zdm.jobs.JobDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/**
 * {@code CREATE INDEX CONCURRENTLY} with {@code IF NOT EXISTS} semantics that repairs an INVALID index and never
 * leaves one behind (see {@link ConcurrentIndexBuild}). By default the build is a background job
 * ({@code <table>.index.<indexName>}) that runs after start-up; {@code inline="true"} builds it inside the Liquibase run.
 * Must run in a changeset with {@code runInTransaction="false"}.
 */
@DatabaseChange(name = "createIndexConcurrently", description = "Builds an index without blocking writes",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "index")
public class CreateIndexConcurrentlyChange extends AbstractSlowWorkChange {

    private String tableName;
    private String indexName;
    private String columns;
    private Boolean unique;
    private String where;
    private String method;

    @DatabaseChangeProperty(description = "Table to index", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Name of the index", requiredForDatabase = "postgresql")
    public String getIndexName() {
        return indexName;
    }

    public void setIndexName(String indexName) {
        this.indexName = indexName;
    }

    @DatabaseChangeProperty(description = "Index columns or expressions as in SQL, e.g. 'checksum, file_size' or 'lower(name)'",
            requiredForDatabase = "postgresql")
    public String getColumns() {
        return columns;
    }

    public void setColumns(String columns) {
        this.columns = columns;
    }

    @DatabaseChangeProperty(description = "Whether the index is unique")
    public Boolean getUnique() {
        return unique;
    }

    public void setUnique(Boolean unique) {
        this.unique = unique;
    }

    @DatabaseChangeProperty(description = "Predicate of a partial index")
    public String getWhere() {
        return where;
    }

    public void setWhere(String where) {
        this.where = where;
    }

    @DatabaseChangeProperty(description = "Index method, e.g. btree, gin, brin")
    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("indexName", indexName, Fragment.IDENTIFIER),
                attribute("columns", columns, Fragment.INDEX_COLUMNS), attribute("where", where, Fragment.INDEX_PREDICATE),
                attribute("method", method, Fragment.INDEX_METHOD));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    String createSql() {
        return createSql(q(tableName));
    }

    /** The build, on {@code table} given as SQL (schema-qualified for a job). */
    String createSql(String table) {
        return "CREATE " + (Boolean.TRUE.equals(unique) ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + q(indexName) + " ON "
                + table + (method == null ? "" : " USING " + method) + " (" + columns + ")"
                + (where == null ? "" : " WHERE (" + where + ")");
    }

    @Override
    protected List<Step> steps() {
        // Built when used, not now: Liquibase generates statements before it validates the attributes.
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return build().offlineSql();
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                if (runsInline(connection)) {
                    build().run(connection);
                    return;
                }
                String table = jobTable(connection, tableName);
                register(connection, List.of(JobDefinition.index(jobName(tableName, indexName), table, indexName,
                        createSql(table), List.of())));
            }
        });
    }

    private ConcurrentIndexBuild build() {
        return new ConcurrentIndexBuild(indexName, createSql(), where());
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        if ("p".equals(catalog.relkind(tableName))) {
            throw catalog.fail("tableName", tableName + " is partitioned, and PostgreSQL cannot build an index on it"
                    + " CONCURRENTLY; create the index ON ONLY " + tableName + " (instant, invalid), build it concurrently"
                    + " on each partition, then ALTER INDEX ... ATTACH PARTITION each one");
        }
        catalog.requireIndex(tableName, columns, method, where);
    }

    /** The name of the job that builds {@code index} on {@code table}. */
    static String jobName(String table, String index) {
        return table + ".index." + index;
    }

    @Override
    protected List<String> jobNames() {
        return List.of(jobName(tableName, indexName));
    }

    @Override
    protected Change[] createInverses() {
        DropIndexConcurrentlyChange inverse = new DropIndexConcurrentlyChange();
        inverse.setTableName(tableName);
        inverse.setIndexName(indexName);
        return new Change[] { inverse };
    }

    @Override
    public String getConfirmationMessage() {
        return "Index " + indexName + " built concurrently on " + tableName + " (or registered as job "
                + jobName(tableName, indexName) + ")";
    }
}
