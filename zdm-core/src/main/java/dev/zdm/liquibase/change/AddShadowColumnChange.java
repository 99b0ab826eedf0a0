package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/**
 * Adds a nullable shadow column with no default (metadata-only, instant on any table size), the first step
 * of expand/contract. Default name {@code <columnName>_zdm}.
 */
@DatabaseChange(name = "addShadowColumn", description = "Adds a nullable shadow column of a new type beside a column",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AddShadowColumnChange extends AbstractZdmChange {

    private String tableName;
    private String columnName;
    private String newDataType;
    private String shadowColumnName;

    @DatabaseChangeProperty(description = "Table of the column", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column the shadow column will replace", requiredForDatabase = "postgresql")
    public String getColumnName() {
        return columnName;
    }

    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    @DatabaseChangeProperty(description = "Type of the shadow column, e.g. bigint", requiredForDatabase = "postgresql")
    public String getNewDataType() {
        return newDataType;
    }

    public void setNewDataType(String newDataType) {
        this.newDataType = newDataType;
    }

    @DatabaseChangeProperty(description = "Name of the shadow column; default <columnName>_zdm")
    public String getShadowColumnName() {
        return shadowColumnName;
    }

    public void setShadowColumnName(String shadowColumnName) {
        this.shadowColumnName = shadowColumnName;
    }

    /** The shadow column's name, explicit or default. */
    public String shadowColumn() {
        return shadowColumnName != null ? shadowColumnName : ZdmNames.shadowColumn(columnName);
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("columnName", columnName, Fragment.IDENTIFIER),
                attribute("newDataType", newDataType, Fragment.TYPE_NAME),
                attribute("shadowColumnName", shadowColumnName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        return List.of(locking("ALTER TABLE " + q(tableName) + " ADD COLUMN IF NOT EXISTS " + q(shadowColumn()) + " "
                + newDataType));
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        catalog.requireColumn("columnName", tableName, columnName);
        catalog.requireType(tableName, "newDataType", newDataType);
        String existing = catalog.columnType(tableName, shadowColumn());
        if (existing != null && !dev.zdm.sql.SqlType.parse(existing).equals(dev.zdm.sql.SqlType.parse(newDataType))) {
            throw catalog.fail("shadowColumnName", "column " + shadowColumn() + " already exists as " + existing
                    + ", not " + newDataType);
        }
    }

    @Override
    protected Change[] createInverses() {
        DropShadowColumn inverse = new DropShadowColumn(tableName, shadowColumn());
        return new Change[] { inverse };
    }

    @Override
    public String getConfirmationMessage() {
        return "Shadow column " + shadowColumn() + " " + newDataType + " added to " + tableName;
    }
}
