package dev.zdm.guard;

import dev.zdm.ZdmDefaults;
import java.time.Duration;
import java.util.Objects;

/**
 * How the guard behaves. Immutable; {@link #defaults()} gives zdm's defaults.
 *
 * @param mode what to do with unsafe statements
 * @param scope which statements to look at
 * @param lockTimeout lock wait per attempt of a guarded DDL
 * @param lockRetries attempts after the first
 * @param statementTimeout run-time limit of DDL that holds a write-blocking lock
 * @param initialBackoff first pause between attempts (doubles, with jitter)
 * @param maxBackoff longest pause between attempts
 * @param cancelAutovacuum whether to cancel a (non-wraparound) autovacuum worker that alone blocks a guarded DDL
 * @param cutoverLockTimeout the whole lock wait of one attempt of a cutover's or revert's swap transaction, over every
 *        table it locks ({@code zdm.cutover.lock-timeout})
 * @param inlineJobs whether zdm's changes run their slow part (index builds, validations) inside the migration instead of
 *        registering background jobs ({@code zdm.jobs.inline}, or the system property of that name without Spring)
 */
public record GuardSettings(GuardMode mode, GuardScope scope, Duration lockTimeout, int lockRetries, Duration statementTimeout,
        Duration initialBackoff, Duration maxBackoff, boolean cancelAutovacuum, Duration cutoverLockTimeout, boolean inlineJobs) {

    public GuardSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive");
        }
        if (lockRetries < 0) {
            throw new IllegalArgumentException("lockRetries must be 0 or more");
        }
        if (cutoverLockTimeout.isNegative() || cutoverLockTimeout.isZero()) {
            throw new IllegalArgumentException("cutoverLockTimeout must be positive");
        }
    }

    /** The settings as they were before the last three components: those take their defaults. */
    public GuardSettings(GuardMode mode, GuardScope scope, Duration lockTimeout, int lockRetries, Duration statementTimeout,
            Duration initialBackoff, Duration maxBackoff) {
        this(mode, scope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff, ZdmDefaults.CANCEL_AUTOVACUUM,
                ZdmDefaults.CUTOVER_LOCK_TIMEOUT, Boolean.getBoolean("zdm.jobs.inline"));
    }

    public static GuardSettings defaults() {
        return new GuardSettings(GuardMode.ENFORCE, GuardScope.MIGRATIONS, ZdmDefaults.LOCK_TIMEOUT, ZdmDefaults.LOCK_RETRIES,
                ZdmDefaults.STATEMENT_TIMEOUT, ZdmDefaults.RETRY_INITIAL_BACKOFF, ZdmDefaults.RETRY_MAX_BACKOFF);
    }

    public GuardSettings withMode(GuardMode newMode) {
        return new GuardSettings(newMode, scope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withScope(GuardScope newScope) {
        return new GuardSettings(mode, newScope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withLockTimeout(Duration newLockTimeout, int newLockRetries) {
        return new GuardSettings(mode, scope, newLockTimeout, newLockRetries, statementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withStatementTimeout(Duration newStatementTimeout) {
        return new GuardSettings(mode, scope, lockTimeout, lockRetries, newStatementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withBackoff(Duration newInitialBackoff, Duration newMaxBackoff) {
        return new GuardSettings(mode, scope, lockTimeout, lockRetries, statementTimeout, newInitialBackoff, newMaxBackoff,
                cancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withCancelAutovacuum(boolean newCancelAutovacuum) {
        return new GuardSettings(mode, scope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff,
                newCancelAutovacuum, cutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withCutoverLockTimeout(Duration newCutoverLockTimeout) {
        return new GuardSettings(mode, scope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, newCutoverLockTimeout, inlineJobs);
    }

    public GuardSettings withInlineJobs(boolean newInlineJobs) {
        return new GuardSettings(mode, scope, lockTimeout, lockRetries, statementTimeout, initialBackoff, maxBackoff,
                cancelAutovacuum, cutoverLockTimeout, newInlineJobs);
    }

    /** Pause before attempt {@code attempt} (1-based retry count): exponential, capped, with ±50% jitter. */
    public Duration backoff(int attempt, java.util.random.RandomGenerator random) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        long jittered = capped / 2 + (capped <= 1 ? 0 : random.nextLong(capped));
        return Duration.ofMillis(Math.min(jittered, maxBackoff.toMillis()));
    }
}
