package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/** {@code DROP INDEX CONCURRENTLY IF EXISTS}. Must run in a changeset with {@code runInTransaction="false"}. */
@DatabaseChange(name = "dropIndexConcurrently", description = "Drops an index without blocking reads or writes",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "index")
public class DropIndexConcurrentlyChange extends AbstractZdmChange {

    private String tableName;
    private String indexName;

    @DatabaseChangeProperty(description = "Table of the index (documentation and rollback)")
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

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("indexName", indexName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        return List.of(waiting("DROP INDEX CONCURRENTLY IF EXISTS " + q(indexName)));
    }

    /** An index that a zdm job is still building is not dropped from under it. */
    @Override
    protected void check(Catalog catalog, java.sql.Connection connection) throws java.sql.SQLException {
        if (dev.zdm.columnchange.Sql.row(connection, "SELECT to_regclass('zdm_job')::text")[0] == null) {
            return;
        }
        String[] job = dev.zdm.columnchange.Sql.row(connection, "SELECT name, state FROM zdm_job WHERE kind = 'INDEX'"
                + " AND target_column = ? AND state IN ('PENDING', 'RUNNING', 'PAUSED') ORDER BY created_at LIMIT 1", indexName);
        if (job != null) {
            throw catalog.fail("indexName", "index " + indexName + " is still being built by background job " + job[0] + " ("
                    + job[1] + "); cancel that job first (POST /actuator/backfills/" + job[0] + " {\"action\":\"cancel\"}), or deploy this"
                    + " change once it is COMPLETED");
        }
    }

    @Override
    public boolean supportsRollback(liquibase.database.Database database) {
        return false;
    }

    @Override
    public String getConfirmationMessage() {
        return "Index " + indexName + " dropped concurrently";
    }
}
