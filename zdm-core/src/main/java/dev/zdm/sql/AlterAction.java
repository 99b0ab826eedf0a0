package dev.zdm.sql;

/**
 * One action of an {@code ALTER TABLE} (a statement may have several, separated by commas).
 *
 * @param type the action
 * @param column the column it is about, or {@code null}
 * @param dataType for ADD COLUMN and ALTER COLUMN TYPE: the type as written, else {@code null}
 * @param expression USING of ALTER COLUMN TYPE, the DEFAULT of ADD COLUMN or SET DEFAULT, the
 *     definition of ADD CONSTRAINT; {@code null} when absent
 * @param constraint for ADD CONSTRAINT and inline constraints of ADD COLUMN: which kind, else
 *     {@link ConstraintType#NONE}
 * @param notValid whether ADD CONSTRAINT says NOT VALID
 * @param usingIndex whether ADD CONSTRAINT ... UNIQUE / PRIMARY KEY says USING INDEX
 * @param notNull whether ADD COLUMN declares NOT NULL
 * @param generated for ADD COLUMN: {@code stored} for a stored generated column, {@code identity}
 *     for an identity column, else {@code null}
 * @param newName the new name of a RENAME, the constraint name of ADD/VALIDATE/DROP CONSTRAINT, else {@code null}
 * @param references the referenced table of a foreign key, the partition of ATTACH PARTITION, else {@code null}
 * @param collation for ALTER COLUMN TYPE: the COLLATE it names, else {@code null}
 */
public record AlterAction(ActionType type, String column, String dataType, String expression, ConstraintType constraint,
        boolean notValid, boolean usingIndex, boolean notNull, String generated, String newName, TableName references,
        String collation) {

    /** ALTER TABLE actions the rules tell apart. */
    public enum ActionType {
        ADD_COLUMN, DROP_COLUMN, ALTER_COLUMN_TYPE, SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT,
        ADD_IDENTITY, ADD_CONSTRAINT, VALIDATE_CONSTRAINT, DROP_CONSTRAINT, RENAME_COLUMN, RENAME_TABLE,
        RENAME_CONSTRAINT, SET_LOGGED, SET_UNLOGGED, SET_TABLESPACE, SET_STATISTICS, SET_STORAGE_PARAMETERS,
        ENABLE_DISABLE_TRIGGER, ATTACH_PARTITION, DETACH_PARTITION, DETACH_PARTITION_CONCURRENTLY, OTHER
    }

    /** Kinds of constraints. */
    public enum ConstraintType {
        NONE, CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY, EXCLUDE, NOT_NULL
    }

    static AlterAction of(ActionType type, String column) {
        return new AlterAction(type, column, null, null, ConstraintType.NONE, false, false, false, null, null, null, null);
    }

    /** The lock this action takes on the table. */
    public LockLevel lockLevel() {
        return switch (type) {
            case VALIDATE_CONSTRAINT, SET_STATISTICS, SET_STORAGE_PARAMETERS, ATTACH_PARTITION, DETACH_PARTITION_CONCURRENTLY ->
                    LockLevel.SHARE_UPDATE_EXCLUSIVE;
            case ENABLE_DISABLE_TRIGGER -> LockLevel.SHARE_ROW_EXCLUSIVE;
            case ADD_CONSTRAINT -> constraint == ConstraintType.FOREIGN_KEY ? LockLevel.SHARE_ROW_EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE;
            default -> LockLevel.ACCESS_EXCLUSIVE;
        };
    }
}
