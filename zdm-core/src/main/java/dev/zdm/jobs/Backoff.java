package dev.zdm.jobs;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one way the jobs wait: exponential backoff with a cap, and a sleep that stops when the runner does.
 *
 * <ol>
 *   <li>{@link #delay(int)}: the base, doubled once per attempt (attempt 1 waits twice the base), never past the cap.</li>
 *   <li>{@link #sleep}: sleeps in steps of at most 100 ms and returns as soon as {@code stopping} says so, so closing
 *       a runner never waits out a long pause.</li>
 * </ol>
 */
record Backoff(Duration base, Duration cap) {

    /** After a lock timeout, in a backfill batch or a statement job: 200 ms, 400 ms, ... up to 10 s. */
    static final Backoff LOCK_TIMEOUT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    private static final long STEP_MILLIS = 100;

    /** The pause before retry number {@code attempt} (1-based). */
    Duration delay(int attempt) {
        long capMillis = cap.toMillis();
        long millis = base.toMillis();
        for (int i = 0; i < attempt && millis < capMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, capMillis));
    }

    /** Sleeps for {@code duration}, or less if {@code stopping} turns true meanwhile. */
    static void sleep(Duration duration, BooleanSupplier stopping) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (!stopping.getAsBoolean()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, STEP_MILLIS));
        }
    }
}
