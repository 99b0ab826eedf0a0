package dev.zdm.jobs;

import java.time.Duration;

/** Hears what runners do; the Spring layer turns it into Micrometer meters. */
public interface JobListener {

    JobListener NONE = new JobListener() {
    };

    /** A batch committed: {@code rows} scanned in {@code elapsed}. */
    default void batch(String job, long rows, Duration elapsed) {
    }

    /** A runner held back before a batch, for {@code reason} (e.g. {@code replication-lag}, {@code max-rows-per-second}). */
    default void throttled(String job, String reason) {
    }
}
