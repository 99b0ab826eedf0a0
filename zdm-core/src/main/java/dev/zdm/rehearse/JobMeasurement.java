package dev.zdm.rehearse;

/**
 * A background job a zdm change type registered, run to completion during the rehearsal (at the larger size) with the
 * probes on.
 *
 * @param name the job's name
 * @param kind its kind ({@code BACKFILL}, {@code INDEX}, ...)
 * @param table its table
 * @param state its state at the end ({@code COMPLETED} unless it failed or ran out of time)
 * @param rows rows it processed
 * @param rowsPerSecond rows per second over the time the jobs ran
 * @param probeMaxWaitMs the probes' longest wait on its table while the jobs ran
 */
public record JobMeasurement(String name, String kind, String table, String state, long rows, double rowsPerSecond,
        long probeMaxWaitMs) {
}
