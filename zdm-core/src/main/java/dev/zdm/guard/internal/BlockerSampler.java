package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * While a guarded DDL waits for its lock, asks PostgreSQL from a second connection who blocks it
 * ({@code pg_blocking_pids}), so the retry log and the final error can name the blocking session, its age
 * and its query.
 */
final class BlockerSampler {

    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "zdm-guard-blockers");
        thread.setDaemon(true);
        return thread;
    });

    private final ScheduledFuture<?> future;
    private volatile String blockers;

    private BlockerSampler(DataSource dataSource, int waitingPid, Duration after) {
        this.future = SCHEDULER.schedule(() -> sample(dataSource, waitingPid), Math.max(1, after.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    static BlockerSampler schedule(DataSource dataSource, int waitingPid, Duration after) {
        return new BlockerSampler(dataSource, waitingPid, after);
    }

    /** Stops a sample that has not started; one under way finishes. */
    void cancel() {
        future.cancel(false);
    }

    /** The blockers seen, waiting up to {@code max} for a sample under way; a short explanation otherwise. */
    String await(Duration max) {
        try {
            if (!future.isCancelled()) {
                future.get(max.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception notReady) {
            // report what is known
        }
        String seen = blockers;
        return seen != null ? seen : "blocking session unknown (not sampled in time)";
    }

    private void sample(DataSource dataSource, int waitingPid) {
        StringBuilder text = new StringBuilder();
        try (Connection connection = dataSource.getConnection(); PreparedStatement ps = connection.prepareStatement(
                "SELECT a.pid, coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start)), 0)::bigint,"
                        + " coalesce(a.state, ''), left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 200)"
                        + " FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.pid")) {
            ps.setInt(1, waitingPid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!text.isEmpty()) {
                        text.append("; ");
                    }
                    text.append("pid ").append(rs.getInt(1)).append(" (transaction open ").append(rs.getLong(2))
                            .append(" s, ").append(rs.getString(3)).append(", last query: ").append(rs.getString(4))
                            .append(')');
                }
            }
            blockers = text.isEmpty() ? "no blocking session seen (it may have finished)" : "blocked by " + text;
        } catch (Exception e) {
            blockers = "blocking session unknown (" + e.getMessage() + ")";
        }
    }
}
