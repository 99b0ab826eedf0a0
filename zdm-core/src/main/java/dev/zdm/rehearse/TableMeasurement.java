package dev.zdm.rehearse;

import dev.zdm.sql.LockLevel;

/**
 * What a changeset did to one table, at both rehearsal sizes, and the estimate at production size.
 *
 * @param lock the strongest lock the migration session took on it
 * @param rewrite whether its storage (or an index's) was rewritten
 * @param scaling how the block (or, where nothing blocks, the run time) grew from the smaller size to the larger
 * @param rows the table's rows at the smaller and the larger size
 * @param readWaitMs the reader probe's longest wait at each size
 * @param writeWaitMs the writer probe's longest wait at each size
 * @param productionRows the size the estimate is for ({@code --stats}, else {@code --rows})
 * @param estimatedBlockMs how long readers or writers would wait at that size
 */
public record TableMeasurement(String table, LockLevel lock, boolean rewrite, Scaling scaling, long[] rows,
        long[] readWaitMs, long[] writeWaitMs, long productionRows, long estimatedBlockMs) {

    /** The probes' longest wait (reader or writer) at the smaller and the larger size. */
    public long[] probeMaxWaitMs() {
        return new long[] {Math.max(readWaitMs[0], writeWaitMs[0]), Math.max(readWaitMs[1], writeWaitMs[1])};
    }

    /** Who waits: {@code readers and writers}, {@code writers}, or {@code nobody}. */
    public String blocked() {
        boolean readers = lock.blocksReads();
        boolean writers = lock.blocksWrites();
        return readers ? "readers and writers" : writers ? "writers" : "nobody";
    }
}
