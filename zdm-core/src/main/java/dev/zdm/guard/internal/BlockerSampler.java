package dev.zdm.guard.internal;

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
    }

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
        return seen != null ? seen : Sample.of("blocking session unknown (not sampled in time)");
    }

    private void sample(DataSource dataSource, int waitingPid, boolean cancelAutovacuum) {
        try (Connection connection = dataSource.getConnection()) {
            List<Blocker> blockers = Blocker.of(connection, waitingPid);
            if (blockers.isEmpty()) {
                sample = Sample.of("no blocking session seen (it may have finished)");
                return;
            }
            String text = "blocked by " + blockers.stream().map(Blocker::describe).collect(Collectors.joining("; "));
            SignalRights rights = AutovacuumDecision.needsRights(blockers, cancelAutovacuum) ? SignalRights.of(connection) : null;
            AutovacuumDecision decision = AutovacuumDecision.decide(blockers, rights, cancelAutovacuum);
            if (decision.verdict() == AutovacuumDecision.Verdict.CANCEL) {
                try {
                    List<Blocker> cancelled = cancelBackends(connection, waitingPid, blockers);
                    sample = new Sample(text + "; " + decision.advice() + ": zdm cancelled it", cancelled);
                    if (!cancelled.isEmpty()) {
                        onCancelled.accept(cancelled);
                    }
                    return;
                } catch (SQLException refused) {
                    decision = AutovacuumDecision.notPermitted(blockers, rights); // the catalog promised more than the server
                }
            }
            sample = Sample.of(decision.advice().isEmpty() ? text : text + "; " + decision.advice());
        } catch (Exception e) {
            sample = Sample.of("blocking session unknown (" + e.getMessage() + ")");
        }
    }

    private static List<Blocker> cancelBackends(Connection connection, int waitingPid, List<Blocker> blockers) throws SQLException {
        Object[] pids = blockers.stream().map(Blocker::pid).toArray();
        try (PreparedStatement ps = connection.prepareStatement(CANCEL)) {
            Array array = connection.createArrayOf("int4", pids);
            ps.setInt(1, waitingPid);
            ps.setArray(2, array);
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
