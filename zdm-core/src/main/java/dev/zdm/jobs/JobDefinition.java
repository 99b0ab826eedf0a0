package dev.zdm.jobs;

import dev.zdm.ZdmException;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.SqlFragments;
import java.util.List;

/**
 * What a job is to do: one record per kind, built with the static factories. Every job has a unique name, the table
 * it works on, and the jobs that must be COMPLETED before it starts (a pipeline). Every attribute a job writes into
 * its SQL is checked to be the one piece it must be ({@link SqlFragments}) when the definition is built, so a
 * definition that would smuggle a second statement never exists ({@link dev.zdm.sql.SqlFragmentException}).
 */
public sealed interface JobDefinition permits JobDefinition.Backfill, JobDefinition.IndexBuild, JobDefinition.Validation,
        JobDefinition.Analyze, JobDefinition.Ddl, JobDefinition.Revert {

    /** Unique name, e.g. {@code file.file_size_zdm}. */
    String name();

    /** The table, as SQL text (schema-qualified where the job was registered by a column change). */
    String table();

    /** Jobs that must be COMPLETED first. */
    List<String> dependsOn();

    JobKind kind();

    /**
     * Copies {@code target = using} in keyset batches, where {@code where} holds.
     *
     * @param using SQL expression over the table's columns giving the target's value (assigned: PostgreSQL converts it)
     * @param batchSize first batch size, or {@code null} for the configured default
     * @param settings the session settings the conversion is pinned to
     */
    record Backfill(String name, String table, String targetColumn, String using, String where, Integer batchSize,
            List<String> dependsOn, PinnedSettings settings) implements JobDefinition {

        public Backfill {
            dependsOn = checked(name, table, dependsOn);
            if (targetColumn == null || using == null) {
                throw new ZdmException("zdm backfill job " + name + " needs a target column and a using expression");
            }
            String context = "backfill job " + name + " on table " + table;
            SqlFragments.require(context, "targetColumn", targetColumn, Fragment.IDENTIFIER);
            SqlFragments.require(context, "using", using, Fragment.EXPRESSION);
            SqlFragments.require(context, "where", where, Fragment.PREDICATE);
            if (batchSize != null && batchSize < 1) {
                throw new ZdmException("zdm job " + name + ": batchSize must be 1 or more, not " + batchSize);
            }
            settings = settings == null ? PinnedSettings.NONE : settings;
        }

        /** The same job with its conversion pinned to {@code pinned}. */
        public Backfill withSettings(PinnedSettings pinned) {
            return new Backfill(name, table, targetColumn, using, where, batchSize, dependsOn, pinned);
        }

        @Override
        public JobKind kind() {
            return JobKind.BACKFILL;
        }
    }

    /** Runs {@code createSql} ({@code CREATE [UNIQUE] INDEX CONCURRENTLY indexName ON ...}), watched from a second session. */
    record IndexBuild(String name, String table, String indexName, String createSql, List<String> dependsOn)
            implements JobDefinition {

        public IndexBuild {
            dependsOn = checked(name, table, dependsOn);
            if (createSql == null || createSql.isBlank()) {
                throw new ZdmException("zdm INDEX job " + name + " needs its statement");
            }
            String context = "INDEX job " + name + " on table " + table;
            SqlFragments.require(context, "indexName", indexName, Fragment.IDENTIFIER);
            SqlFragments.require(context, "createSql", createSql, Fragment.INDEX_STATEMENT);
        }

        @Override
        public JobKind kind() {
            return JobKind.INDEX;
        }
    }

    /**
     * {@code VALIDATE CONSTRAINT constraintName}; with a {@code definition} (e.g. {@code CHECK (x IS NOT NULL)}) the
     * constraint is first added {@code NOT VALID} if missing — for constraints that would refuse writes if added earlier —
     * and dropped again if rows refuse it.
     */
    record Validation(String name, String table, String constraintName, String definition, List<String> dependsOn)
            implements JobDefinition {

        public Validation {
            dependsOn = checked(name, table, dependsOn);
            if (constraintName == null || constraintName.isBlank()) {
                throw new ZdmException("zdm VALIDATE job " + name + " needs its constraint");
            }
            String context = "VALIDATE job " + name + " on table " + table;
            SqlFragments.require(context, "constraintName", constraintName, Fragment.IDENTIFIER);
            SqlFragments.require(context, "definition", definition, Fragment.CONSTRAINT_DEFINITION);
        }

        @Override
        public JobKind kind() {
            return JobKind.VALIDATE;
        }
    }

    /** {@code ANALYZE} of the table. */
    record Analyze(String name, String table, List<String> dependsOn) implements JobDefinition {

        public Analyze {
            dependsOn = checked(name, table, dependsOn);
        }

        @Override
        public JobKind kind() {
            return JobKind.ANALYZE;
        }
    }

    /**
     * Short DDL run in one transaction under the lock timeout, retried with backoff: each statement must take its locks
     * briefly and scan nothing (the jobs it depends on did the slow part).
     */
    record Ddl(String name, String table, List<String> statements, List<String> dependsOn) implements JobDefinition {

        /** Separates the statements where the job table stores them in one text column. */
        static final String SEPARATOR = "\u001f";

        public Ddl {
            dependsOn = checked(name, table, dependsOn);
            if (statements == null || statements.isEmpty()) {
                throw new ZdmException("zdm DDL job " + name + " needs its statements");
            }
            statements = List.copyOf(statements);
        }

        @Override
        public JobKind kind() {
            return JobKind.DDL;
        }
    }

    /**
     * The swap back of a cut-over column change, found by the table and column it was recorded with; it should depend on
     * the validation of the revert's fits check.
     */
    record Revert(String name, String table, String recordTable, String column, List<String> dependsOn) implements JobDefinition {

        public Revert {
            dependsOn = checked(name, table, dependsOn);
            if (recordTable == null || column == null) {
                throw new ZdmException("zdm REVERT job " + name + " needs the recorded table and column");
            }
        }

        @Override
        public JobKind kind() {
            return JobKind.REVERT;
        }
    }

    /** A backfill of {@code table.targetColumn} with {@code using}; default name {@code <table>.<target>}. */
    static Backfill backfill(String name, String table, String targetColumn, String using, String where, Integer batchSize,
            List<String> dependsOn) {
        return new Backfill(name == null && table != null ? table + "." + targetColumn : name, table, targetColumn, using, where,
                batchSize, dependsOn, PinnedSettings.NONE);
    }

    /** A concurrent index build; {@code createSql} is {@code CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...}. */
    static IndexBuild index(String name, String table, String indexName, String createSql, List<String> dependsOn) {
        return new IndexBuild(name, table, indexName, createSql, dependsOn);
    }

    static Validation validate(String name, String table, String constraintName, List<String> dependsOn) {
        return new Validation(name, table, constraintName, null, dependsOn);
    }

    /** Adds {@code constraintName} ({@code definition}) {@code NOT VALID} if it is missing, then validates it. */
    static Validation addAndValidate(String name, String table, String constraintName, String definition,
            List<String> dependsOn) {
        return new Validation(name, table, constraintName, definition, dependsOn);
    }

    static Analyze analyze(String name, String table, List<String> dependsOn) {
        return new Analyze(name, table, dependsOn);
    }

    static Ddl ddl(String name, String table, List<String> statements, List<String> dependsOn) {
        return new Ddl(name, table, statements, dependsOn);
    }

    static Revert revert(String name, String table, String recordTable, String column, List<String> dependsOn) {
        return new Revert(name, table, recordTable, column, dependsOn);
    }

    private static List<String> checked(String name, String table, List<String> dependsOn) {
        if (name == null || name.isBlank()) {
            throw new ZdmException("A zdm job needs a name");
        }
        if (table == null || table.isBlank()) {
            throw new ZdmException("zdm job " + name + " needs a table");
        }
        SqlFragments.require("job " + name, "table", table, Fragment.TABLE);
        return dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
