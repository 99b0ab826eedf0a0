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

    @Override
    public boolean supportsRollback(liquibase.database.Database database) {
        return false;
    }

    @Override
    public String getConfirmationMessage() {
        return "Index " + indexName + " dropped concurrently";
    }
}
