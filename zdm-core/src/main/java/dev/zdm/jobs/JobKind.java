package dev.zdm.jobs;

/** What a background job does. */
public enum JobKind {
    /** Copies {@code using(...)} into a target column, in keyset batches. */
    BACKFILL,
    /** Builds an index with {@code CREATE INDEX CONCURRENTLY}. */
    INDEX,
    /** Runs {@code ALTER TABLE ... VALIDATE CONSTRAINT}. */
    VALIDATE,
    /** Runs {@code ANALYZE} on the table. */
    ANALYZE,
    /**
     * Runs a few short DDL statements in one transaction under the lock timeout, retried with backoff (attaching a
     * unique constraint to its index, {@code SET NOT NULL} after a validated check).
     */
    DDL,
    /** Swaps a cut-over column back ({@code revertCutoverColumnType}) once its fits check is validated. */
    REVERT
}
