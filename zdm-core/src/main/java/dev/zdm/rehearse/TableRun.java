package dev.zdm.rehearse;

import dev.zdm.sql.LockLevel;

/**
 * What one changeset did to one table at one rehearsal size.
 *
 * @param rows the table's rows before the changeset
 * @param lock the strongest lock the migration session took on it ({@link LockLevel#NONE} when none was seen)
 * @param rewrite whether its storage (or an index's) was rewritten
 * @param readWaitMs the reader probe's longest wait
 * @param writeWaitMs the writer probe's longest wait
 */
record TableRun(String table, long rows, LockLevel lock, boolean rewrite, long readWaitMs, long writeWaitMs) {

    long blockMs() {
        return Math.max(readWaitMs, writeWaitMs);
    }
}
