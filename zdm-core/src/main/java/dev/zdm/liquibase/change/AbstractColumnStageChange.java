package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import liquibase.change.DatabaseChangeProperty;

/**
 * The later stages of a column type change (cutover, revert, contract): they name the column that
 * {@link ExpandColumnTypeChange} expanded, and each runs its own short transactions
 * ({@code runInTransaction="false"}).
 */
abstract class AbstractColumnStageChange extends AbstractZdmChange {

    private String tableName;
    private String columnName;
    private String shadowColumnName;

    @DatabaseChangeProperty(description = "Table of the column", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column whose type changes", requiredForDatabase = "postgresql")
    public String getColumnName() {
        return columnName;
    }

    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    @DatabaseChangeProperty(description = "Shadow column, as given to expandColumnType")
    public String getShadowColumnName() {
        return shadowColumnName;
    }

    public void setShadowColumnName(String shadowColumnName) {
        this.shadowColumnName = shadowColumnName;
    }

    @Override
    protected boolean requiresNoTransaction() {
        return true;
    }

    @Override
    public java.util.List<FragmentAttribute> sqlAttributes() {
        return java.util.List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("columnName", columnName, Fragment.IDENTIFIER),
                attribute("shadowColumnName", shadowColumnName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }
}
