package dev.zdm.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job as reported (actuator, logs): the fields of DESIGN.md's contract plus the rows that did not convert.
 *
 * @param rowsPerSecond the recent rate of a RUNNING backfill (rows copied per second over its last seconds, summed over
 *     the slices being worked); {@code null} for any other state or kind, or before its first batch
 * @param eta time left at that rate, only while the job runs; {@code null} otherwise or when unknown
 * @param rejectedRows rows whose value does not convert
 * @param rejectedSamples some of their keys
 */
public record JobView(String name, JobKind kind, String table, JobState state, long rowsDone, long rowsTotalEstimate,
        double percent, Double rowsPerSecond, Duration eta, Integer batchSize, String lastError, Instant updatedAt,
        long rejectedRows, List<String> rejectedSamples, List<String> dependsOn) {

    /** Whether the job counts rows as it goes (a backfill); statement jobs (index, validate, ...) have no row count. */
    public boolean countsRows() {
        return kind == JobKind.BACKFILL;
    }

    /**
     * The progress line the runner logs: {@code backfill file.file_size_bigint 43% (860,000/2,000,000 rows, ...)}, or
     * {@code index file.index.i RUNNING} for a job that counts no rows.
     */
    public String progressLine() {
        if (!countsRows()) {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " " + state;
        }
        return String.format(java.util.Locale.ROOT, "%s %s %.0f%% (%,d/%,d rows, %s rows/s, ETA %s)",
                kind.name().toLowerCase(java.util.Locale.ROOT), name, percent, rowsDone, rowsTotalEstimate,
                rowsPerSecond == null ? "-" : String.format(java.util.Locale.ROOT, "%,.0f", rowsPerSecond),
                eta == null ? "unknown" : eta.toSeconds() + "s");
    }
}
