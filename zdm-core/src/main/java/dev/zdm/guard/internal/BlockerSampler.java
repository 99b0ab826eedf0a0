package dev.zdm.guard.internal;

import dev.zdm.sql.LockLevel;
import dev.zdm.sql.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * While a guarded DDL waits for its lock, asks PostgreSQL from a second connection who blocks it
 * ({@code pg_blocking_pids}), so the retry log and the final error can name the blocking session, its age
 * and its query. When the only blockers are autovacuum workers, it acts on the {@link AutovacuumDecision}
 * right away: a cancelled worker frees the lock while the DDL still waits.
 */
final class BlockerSampler {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "zdm-guard-blockers");
        thread.setDaemon(true);
        return thread;
    });

    private static final String CANCEL = "SELECT a.pid FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?))"
            + " AND a.pid = ANY (?) AND pg_cancel_backend(a.pid)";

    private static final String CANCEL_LISTED = "SELECT a.pid FROM pg_stat_activity a WHERE a.pid = ANY (?) AND pg_cancel_backend(a.pid)";

    /**
     * What a sample saw.
     *
     * @param text the blockers in words, with advice when they are autovacuum
     * @param cancelled the autovacuum workers cancelled by this sample
     */
    record Sample(String text, List<Blocker> cancelled) {
        static Sample of(String text) {
            return new Sample(text, List.of());
        }

        /** The sample named nobody (it ran after the wait ended, or failed): the session itself should ask. */
        boolean namesNoBlocker() {
            return text.startsWith(NO_BLOCKER) || text.startsWith(UNKNOWN);
        }
    }

    private static final String NO_BLOCKER = "no blocking session seen";
    private static final String UNKNOWN = "blocking session unknown";

    private final ScheduledFuture<?> future;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Sample sample;

    private final java.util.function.Consumer<List<Blocker>> onCancelled;

    private BlockerSampler(DataSource dataSource, int waitingPid, Duration after, boolean cancelAutovacuum,
            java.util.function.Consumer<List<Blocker>> onCancelled) {
        this.onCancelled = onCancelled;
        this.future = SCHEDULER.schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                try {
                    sample(dataSource, waitingPid, cancelAutovacuum);
                } finally {
                    done.countDown();
                }
            }
        }, Math.max(1, after.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * Samples after {@code after}; autovacuum workers it cancels are reported to {@code onCancelled} from the sampling
     * thread at once (the waiting statement may finish before the sample does, and must not wait for it to report).
     */
    static BlockerSampler schedule(DataSource dataSource, int waitingPid, Duration after, boolean cancelAutovacuum,
            java.util.function.Consumer<List<Blocker>> onCancelled) {
        return new BlockerSampler(dataSource, waitingPid, after, cancelAutovacuum, onCancelled);
    }

    /** Stops a sample that has not started; one under way finishes. */
    void cancel() {
        if (claimed.compareAndSet(false, true)) {
            future.cancel(false);
        }
    }

    /** Stops a sample that has not started, or returns what one under way or done saw (waiting up to {@code max}). */
    Sample finish(Duration max) {
        if (claimed.compareAndSet(false, true)) {
            future.cancel(false);
            return null;
        }
        return await(max);
    }

    /** The blockers seen, waiting up to {@code max} for a sample under way; a short explanation otherwise. */
    Sample await(Duration max) {
        try {
            done.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Sample seen = sample;
        return seen != null ? seen : Sample.of(UNKNOWN + " (not sampled in time)");
    }

    private void sample(DataSource dataSource, int waitingPid, boolean cancelAutovacuum) {
        try (Connection connection = dataSource.getConnection()) {
            sample = judge(connection, Blocker.of(connection, waitingPid), cancelAutovacuum, waitingPid, onCancelled);
        } catch (Exception e) {
            sample = Sample.of(UNKNOWN + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Without a second connection (a standalone {@link dev.zdm.guard.Guard#guard guarded connection}): after the lock
     * timeout, asks on the session itself who holds a lock on {@code table} that conflicts with {@code needed}, and acts
     * on the {@link AutovacuumDecision} as a sample would. The session must be usable (auto-commit, or rolled back to the
     * guard's savepoint).
     */
    static Sample afterTimeout(Connection session, TableName table, LockLevel needed, boolean cancelAutovacuum,
            java.util.function.Consumer<List<Blocker>> onCancelled) {
        if (table == null || needed == LockLevel.NONE) {
            return Sample.of("");
        }
        try {
            return judge(session, Blocker.holding(session, table, needed), cancelAutovacuum, null, onCancelled);
        } catch (Exception e) {
            return Sample.of(UNKNOWN + " (" + e.getMessage() + ")");
        }
    }

    /** The blockers in words; cancels autovacuum workers where the decision says so (only those still blocking {@code waitingPid}, when given). */
    private static Sample judge(Connection connection, List<Blocker> blockers, boolean cancelAutovacuum, Integer waitingPid,
            java.util.function.Consumer<List<Blocker>> onCancelled) throws SQLException {
        if (blockers.isEmpty()) {
            return Sample.of(NO_BLOCKER + " (it may have finished)");
        }
        String text = "blocked by " + blockers.stream().map(Blocker::describe).collect(Collectors.joining("; "));
        SignalRights rights = AutovacuumDecision.needsRights(blockers, cancelAutovacuum) ? SignalRights.of(connection) : null;
        AutovacuumDecision decision = AutovacuumDecision.decide(blockers, rights, cancelAutovacuum);
        if (decision.verdict() == AutovacuumDecision.Verdict.CANCEL) {
            try {
                List<Blocker> cancelled = cancelBackends(connection, waitingPid, blockers);
                if (!cancelled.isEmpty()) {
                    onCancelled.accept(cancelled);
                }
                return new Sample(text + "; " + decision.advice() + (cancelled.isEmpty()
                        ? ": it no longer blocked when zdm went to cancel it" : ": zdm cancelled it"), cancelled);
            } catch (SQLException refused) {
                decision = AutovacuumDecision.notPermitted(blockers, rights); // the catalog promised more than the server
            }
        }
        return Sample.of(decision.advice().isEmpty() ? text : text + "; " + decision.advice());
    }

    private static List<Blocker> cancelBackends(Connection connection, Integer waitingPid, List<Blocker> blockers)
            throws SQLException {
        Object[] pids = blockers.stream().map(Blocker::pid).toArray();
        try (PreparedStatement ps = connection.prepareStatement(waitingPid == null ? CANCEL_LISTED : CANCEL)) {
            Array array = connection.createArrayOf("int4", pids);
            int next = 1;
            if (waitingPid != null) {
                ps.setInt(next++, waitingPid);
            }
            ps.setArray(next, array);
            List<Blocker> cancelled = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    blockers.stream().filter(b -> b.pid() == pid).forEach(cancelled::add);
                }
            }
            return cancelled;
        }
    }
}
