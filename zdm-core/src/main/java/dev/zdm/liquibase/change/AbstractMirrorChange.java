package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import liquibase.change.DatabaseChangeProperty;

/** The attributes a mirror trigger is named and built from, shared by create and drop. */
abstract class AbstractMirrorChange extends AbstractZdmChange {

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

    @DatabaseChangeProperty(description = "Column whose writes are mirrored", requiredForDatabase = "postgresql")
    public String getSourceColumnName() {
        return sourceColumnName;
    }

    public void setSourceColumnName(String sourceColumnName) {
        this.sourceColumnName = sourceColumnName;
    }

    @DatabaseChangeProperty(description = "Column that receives using(source)", requiredForDatabase = "postgresql")
    public String getTargetColumnName() {
        return targetColumnName;
    }

    public void setTargetColumnName(String targetColumnName) {
        this.targetColumnName = targetColumnName;
    }

    @DatabaseChangeProperty(description = "SQL expression over the source column; default: the source, converted")
    public String getUsing() {
        return using;
    }

    public void setUsing(String using) {
        this.using = using;
    }

    @Override
    public java.util.List<FragmentAttribute> sqlAttributes() {
        return java.util.List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("sourceColumnName", sourceColumnName, Fragment.IDENTIFIER),
                attribute("targetColumnName", targetColumnName, Fragment.IDENTIFIER),
                attribute("using", using, Fragment.EXPRESSION));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    /** Copies this change's attributes onto {@code other} (the inverse change). */
    <T extends AbstractMirrorChange> T copyTo(T other) {
        other.setTableName(tableName);
        other.setSourceColumnName(sourceColumnName);
        other.setTargetColumnName(targetColumnName);
        other.setUsing(using);
        return other;
    }
}
