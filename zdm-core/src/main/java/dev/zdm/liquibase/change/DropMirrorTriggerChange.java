package dev.zdm.liquibase.change;

import dev.zdm.columnchange.*;

import java.util.List;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;

/** Drops a mirror trigger and its function; rolls back by creating them again. */
@DatabaseChange(name = "dropMirrorTrigger", description = "Drops a mirror trigger created by createMirrorTrigger",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class DropMirrorTriggerChange extends AbstractMirrorChange {


    @Override
    protected List<Step> steps() {
        return MirrorSql.drop(getTableName(), getSourceColumnName(), getTargetColumnName()).stream().map(AbstractZdmChange::locking).toList();
    }

    @Override
    protected Change[] createInverses() {
        return new Change[] { copyTo(new CreateMirrorTriggerChange()) };
    }

    @Override
    public String getConfirmationMessage() {
        return "Mirror trigger " + getTableName() + "." + getSourceColumnName() + " -> " + getTargetColumnName() + " dropped";
    }
}
