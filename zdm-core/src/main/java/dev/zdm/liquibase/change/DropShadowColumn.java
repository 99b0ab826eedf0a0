package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;

/** The rollback of {@link AddShadowColumnChange}: drops the shadow column if it is there. Not for changelogs. */
@DatabaseChange(name = "zdmDropShadowColumn", description = "Rollback of addShadowColumn", priority = ChangeMetaData.PRIORITY_DEFAULT)
public class DropShadowColumn extends AbstractZdmChange {

    private String tableName;
    private String shadowColumnName;

    public DropShadowColumn() {
    }

    DropShadowColumn(String tableName, String shadowColumnName) {
        this.tableName = tableName;
        this.shadowColumnName = shadowColumnName;
    }

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    public String getShadowColumnName() {
        return shadowColumnName;
    }

    public void setShadowColumnName(String shadowColumnName) {
        this.shadowColumnName = shadowColumnName;
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("shadowColumnName", shadowColumnName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        return List.of(locking("ALTER TABLE " + q(tableName) + " DROP COLUMN IF EXISTS " + q(shadowColumnName)));
    }

    @Override
    public String getConfirmationMessage() {
        return "Shadow column " + shadowColumnName + " dropped from " + tableName;
    }
}
