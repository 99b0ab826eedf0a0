package dev.zdm.liquibase.change;

import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;

/** Drops a mirror trigger and its function; rolls back by creating them again. */
@DatabaseChange(name = "dropMirrorTrigger", description = "Drops a mirror trigger created by createMirrorTrigger",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class DropMirrorTriggerChange extends AbstractZdmChange {

    private String tableName;
    private String sourceColumnName;
    private String targetColumnName;
    private String using;

    @DatabaseChangeProperty(description = "Table of both columns", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Source column of the mirror", requiredForDatabase = "postgresql")
    public String getSourceColumnName() {
        return sourceColumnName;
    }

    public void setSourceColumnName(String sourceColumnName) {
        this.sourceColumnName = sourceColumnName;
    }

    @DatabaseChangeProperty(description = "Target column of the mirror", requiredForDatabase = "postgresql")
    public String getTargetColumnName() {
        return targetColumnName;
    }

    public void setTargetColumnName(String targetColumnName) {
        this.targetColumnName = targetColumnName;
    }

    @DatabaseChangeProperty(description = "The mirror's using expression, for rollback")
    public String getUsing() {
        return using;
    }

    public void setUsing(String using) {
        this.using = using;
    }

    @Override
    protected List<Step> steps() {
        return MirrorSql.drop(tableName, sourceColumnName, targetColumnName).stream().map(AbstractZdmChange::locking).toList();
    }

    @Override
    protected Change[] createInverses() {
        CreateMirrorTriggerChange inverse = new CreateMirrorTriggerChange();
        inverse.setTableName(tableName);
        inverse.setSourceColumnName(sourceColumnName);
        inverse.setTargetColumnName(targetColumnName);
        inverse.setUsing(using);
        return new Change[] { inverse };
    }

    @Override
    public String getConfirmationMessage() {
        return "Mirror trigger " + tableName + "." + sourceColumnName + " -> " + targetColumnName + " dropped";
    }
}
