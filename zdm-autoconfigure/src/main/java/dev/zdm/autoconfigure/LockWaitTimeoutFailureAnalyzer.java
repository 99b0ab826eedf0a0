package dev.zdm.autoconfigure;

import dev.zdm.guard.LockWaitTimeoutException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up stopped because a migration could not get its lock in time. */
class LockWaitTimeoutFailureAnalyzer extends AbstractFailureAnalyzer<LockWaitTimeoutException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LockWaitTimeoutException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "A long transaction held a lock the migration needed; zdm gave up rather than make every query on the "
                        + "table wait. Find and end the blocking session named above (or wait for it), then start again. "
                        + "To wait longer per run, raise zdm.guard.lock-retries; keep zdm.guard.lock-timeout short.",
                cause);
    }
}
