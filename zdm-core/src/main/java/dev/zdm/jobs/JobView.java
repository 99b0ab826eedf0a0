package dev.zdm.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job as reported (actuator, logs): the fields of DESIGN.md's contract plus the rows that did not convert.
 *
 * @param rowsPerSecond average since the job started, or 0
 * @param eta time left at that rate, or {@code null} when unknown
 * @param rejectedRows rows whose value does not convert
 * @param rejectedSamples some of their keys
 */
public record JobView(String name, JobKind kind, String table, JobState state, long rowsDone, long rowsTotalEstimate,
        double percent, double rowsPerSecond, Duration eta, Integer batchSize, String lastError, Instant updatedAt,
        long rejectedRows, List<String> rejectedSamples, List<String> dependsOn) {

    /** The progress line the runner logs: {@code backfill file.file_size_bigint 43% (860,000/2,000,000 rows, ...)}. */
    public String progressLine() {
        return String.format("%s %s %.0f%% (%,d/%,d rows, %,.0f rows/s, ETA %s)", kind.name().toLowerCase(java.util.Locale.ROOT),
                name, percent, rowsDone, rowsTotalEstimate, rowsPerSecond,
                eta == null ? "unknown" : eta.toSeconds() + "s");
    }
}
