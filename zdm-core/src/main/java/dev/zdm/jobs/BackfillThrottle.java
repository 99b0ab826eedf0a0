package dev.zdm.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * A user's own signal to hold backfills back (CPU, queue depth, business hours). Register implementations as
 * beans; before each batch every throttle is asked, and the longest pause wins.
 */
@FunctionalInterface
public interface BackfillThrottle {

    /** How long to wait before the next batch of {@code job}, or empty to go on. */
    Optional<Pause> pauseBefore(JobView job);

    /**
     * @param duration how long to wait
     * @param reason short kebab-case reason, used as the {@code reason} tag of {@code zdm.backfill.throttled}
     */
    record Pause(Duration duration, String reason) {
    }
}
