package dev.zdm.guard;

import dev.zdm.sql.Finding;
import dev.zdm.sql.TableName;
import java.time.Duration;

/** Hears what the guard does; the Spring layer turns it into Micrometer meters. */
public interface GuardListener {

    GuardListener NONE = new GuardListener() {
    };

    /** One listener that tells each of {@code listeners}, in order. */
    static GuardListener all(java.util.List<? extends GuardListener> listeners) {
        java.util.List<GuardListener> copy = java.util.List.copyOf(listeners);
        return new GuardListener() {
            @Override
            public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
                copy.forEach(l -> l.lockRetried(table, attempt, backoff, blockers));
            }

            @Override
            public void autovacuumCancelled(TableName table, int pid, String vacuumedTable) {
                copy.forEach(l -> l.autovacuumCancelled(table, pid, vacuumedTable));
            }

            @Override
            public void refused(Finding finding, ChangeSetRef changeSet) {
                copy.forEach(l -> l.refused(finding, changeSet));
            }

            @Override
            public void lockWaited(TableName table, Duration waited, boolean acquired) {
                copy.forEach(l -> l.lockWaited(table, waited, acquired));
            }

            @Override
            public void cutoverLockWaited(TableName table, Duration waited, boolean acquired) {
                copy.forEach(l -> l.cutoverLockWaited(table, waited, acquired));
            }

            @Override
            public void warned(Finding finding, ChangeSetRef changeSet) {
                copy.forEach(l -> l.warned(finding, changeSet));
            }
        };
    }

    /** A guarded DDL timed out waiting for its lock and will be tried again after {@code backoff}. */
    default void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
    }

    /**
     * zdm cancelled autovacuum worker {@code pid} (vacuuming {@code vacuumedTable}, or {@code null} when not
     * seen) because it alone blocked a guarded DDL on {@code table}; autovacuum comes back to it later.
     */
    default void autovacuumCancelled(TableName table, int pid, String vacuumedTable) {
    }

    /** A statement was refused before it ran. */
    default void refused(Finding finding, ChangeSetRef changeSet) {
    }

    /**
     * A guarded DDL that waits for locks ran its last attempt: {@code waited} is the time lost to lock timeouts and
     * backoffs before the attempt that got its lock (zero when the first one did), or before zdm gave up
     * ({@code acquired} false).
     */
    default void lockWaited(TableName table, Duration waited, boolean acquired) {
    }

    /**
     * The swap transaction of a cutover or revert on {@code table} took all its locks {@code waited} after its first
     * attempt began, or gave up after that long ({@code acquired} false).
     */
    default void cutoverLockWaited(TableName table, Duration waited, boolean acquired) {
    }

    /** An unsafe statement runs anyway ({@code warn} mode, {@code allowUnsafe}, before {@code start-after}). */
    default void warned(Finding finding, ChangeSetRef changeSet) {
    }
}
