package dev.zdm.jobs;

import dev.zdm.ZdmException;
import java.util.List;
import java.util.Objects;

/**
 * What a job is to do. Build one with the static factories.
 *
 * @param name unique name, e.g. {@code file.file_size_bigint}
 * @param kind what it does
 * @param table the table it works on
 * @param targetColumn BACKFILL: the column to fill
 * @param using BACKFILL: SQL expression over the table's columns giving the target's value
 * @param where BACKFILL: optional predicate limiting the rows
 * @param batchSize BACKFILL: first batch size, or {@code null} for the configured default
 * @param statement INDEX: the {@code CREATE INDEX CONCURRENTLY} statement; VALIDATE: the constraint name
 * @param dependsOn jobs that must be COMPLETED first
 * @param settings BACKFILL: the session settings the conversion is pinned to ({@link PinnedSettings#NONE} for none)
 */
public record JobDefinition(String name, JobKind kind, String table, String targetColumn, String using, String where,
        Integer batchSize, String statement, List<String> dependsOn, PinnedSettings settings) {

    public JobDefinition {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new ZdmException("A zdm job needs a name");
        }
        if (table == null || table.isBlank()) {
            throw new ZdmException("zdm job " + name + " needs a table");
        }
        if (kind == JobKind.BACKFILL && (targetColumn == null || using == null)) {
            throw new ZdmException("zdm backfill job " + name + " needs a target column and a using expression");
        }
        if ((kind == JobKind.INDEX || kind == JobKind.VALIDATE) && (statement == null || statement.isBlank())) {
            throw new ZdmException("zdm " + kind + " job " + name + " needs its statement");
        }
        if (batchSize != null && batchSize < 1) {
            throw new ZdmException("zdm job " + name + ": batchSize must be 1 or more, not " + batchSize);
        }
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        settings = settings == null ? PinnedSettings.NONE : settings;
    }

    public JobDefinition(String name, JobKind kind, String table, String targetColumn, String using, String where,
            Integer batchSize, String statement, List<String> dependsOn) {
        this(name, kind, table, targetColumn, using, where, batchSize, statement, dependsOn, PinnedSettings.NONE);
    }

    /** The same job with its conversion pinned to {@code pinned}. */
    public JobDefinition withSettings(PinnedSettings pinned) {
        return new JobDefinition(name, kind, table, targetColumn, using, where, batchSize, statement, dependsOn, pinned);
    }

    /** A backfill of {@code table.targetColumn} with {@code using}; default name {@code <table>.<target>}. */
    public static JobDefinition backfill(String name, String table, String targetColumn, String using, String where,
            Integer batchSize, List<String> dependsOn) {
        return new JobDefinition(name == null ? table + "." + targetColumn : name, JobKind.BACKFILL, table, targetColumn,
                using, where, batchSize, null, dependsOn);
    }

    /** A concurrent index build; {@code createSql} is {@code CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...}. */
    public static JobDefinition index(String name, String table, String indexName, String createSql, List<String> dependsOn) {
        return new JobDefinition(name, JobKind.INDEX, table, indexName, null, null, null, createSql, dependsOn);
    }

    public static JobDefinition validate(String name, String table, String constraintName, List<String> dependsOn) {
        return new JobDefinition(name, JobKind.VALIDATE, table, null, null, null, null, constraintName, dependsOn);
    }

    /**
     * Adds constraint {@code constraintName} ({@code definition}, e.g. {@code CHECK (x IS NOT NULL)}) {@code NOT VALID}
     * if it is missing, then validates it: for constraints that would make writes fail if added earlier.
     */
    public static JobDefinition addAndValidate(String name, String table, String constraintName, String definition,
            List<String> dependsOn) {
        return new JobDefinition(name, JobKind.VALIDATE, table, null, definition, null, null, constraintName, dependsOn);
    }

    public static JobDefinition analyze(String name, String table, List<String> dependsOn) {
        return new JobDefinition(name, JobKind.ANALYZE, table, null, null, null, null, null, dependsOn);
    }
}
