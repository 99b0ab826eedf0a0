package dev.zdm.guard.internal;

import dev.zdm.guard.Guard;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's blocker sampling for code that takes its locks itself (a cutover's swap transaction): while the session
 * waits, a second connection names who blocks it and, as for any guarded DDL, cancels an autovacuum that alone blocks
 * it where the role may ({@link AutovacuumDecision}).
 */
public final class LockWaitWatch {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.guard");

    /** What the watch saw: the blockers in words, and whether it cancelled autovacuum workers (retry at once). */
    public record Seen(String text, boolean autovacuumCancelled) {
    }

    private final BlockerSampler sampler;
    private final Guard guard;
    private final TableName table;

    private LockWaitWatch(BlockerSampler sampler, Guard guard, TableName table) {
        this.sampler = sampler;
        this.guard = guard;
        this.table = table;
    }

    /**
     * Starts watching the session of {@code guarded} (waiting as {@code waitingPid}) after {@code after}; {@code null} when
     * the connection has no guard or no side connections to watch from.
     */
    public static LockWaitWatch start(Connection guarded, int waitingPid, Duration after, TableName table) throws SQLException {
        if (!guarded.isWrapperFor(GuardedConnection.class)) {
            return null;
        }
        GuardedConnection connection = guarded.unwrap(GuardedConnection.class);
        DataSource side = connection.sideDataSource();
        if (side == null) {
            return null;
        }
        Guard guard = connection.guard();
        return new LockWaitWatch(BlockerSampler.schedule(side, waitingPid, after, guard.settings().cancelAutovacuum(),
                cancelled -> report(guard, table, cancelled)), guard, table);
    }

    /**
     * For a session with no second connection to watch from (a standalone {@link Guard#guard} connection, e.g. the plain
     * Liquibase CLI), after its lock timeout and rollback: cancels an autovacuum that alone holds one of {@code tables}
     * where the {@link AutovacuumDecision} allows it, and says so; {@code null} when the session has a watch, or no guard.
     */
    public static Seen onSession(Connection guarded, TableName subject, java.util.List<String> tables) throws SQLException {
        if (!guarded.isWrapperFor(GuardedConnection.class)) {
            return null;
        }
        GuardedConnection connection = guarded.unwrap(GuardedConnection.class);
        if (connection.sideDataSource() != null) {
            return null;
        }
        Guard guard = connection.guard();
        java.util.List<String> advice = new java.util.ArrayList<>();
        boolean cancelled = false;
        for (String table : tables) {
            BlockerSampler.Sample sample = BlockerSampler.afterTimeout(connection.raw(), TableName.parse(table),
                    dev.zdm.sql.LockLevel.ACCESS_EXCLUSIVE, guard.settings().cancelAutovacuum(),
                    workers -> report(guard, subject, workers));
            cancelled |= !sample.cancelled().isEmpty();
            if (sample.text().contains("autovacuum")) {
                advice.add(sample.text());
            }
        }
        return new Seen(String.join("; ", advice), cancelled);
    }

    /** The session got its locks (or failed otherwise): stop a sample that has not started. */
    public void stop() {
        sampler.finish(Duration.ofSeconds(1)); // a sample under way reports its cancellations itself, even later
    }

    /** After a lock timeout: what the sample saw (waiting up to a second for one under way). */
    public Seen afterTimeout() {
        BlockerSampler.Sample seen = sampler.await(Duration.ofSeconds(1));
        sampler.cancel();
        return new Seen(seen == null ? "" : seen.text(), seen != null && !seen.cancelled().isEmpty());
    }

    private static void report(Guard guard, TableName table, java.util.List<Blocker> cancelled) {
        for (Blocker worker : cancelled) {
            log.warn("zdm: cancelled {} because it alone blocked the locks of {}: autovacuum gives way to a DDL only after"
                    + " deadlock_timeout, longer than zdm's lock timeout. Autovacuum will come back to the table later and"
                    + " finish its work; zdm.guard.cancel-autovacuum=false leaves it alone.", worker.autovacuumName(),
                    table == null ? "a swap" : table.sql());
            try {
                guard.listener().autovacuumCancelled(table, worker.pid(), worker.table());
            } catch (RuntimeException e) {
                log.warn("zdm: a GuardListener failed on autovacuumCancelled: {}", e.toString());
            }
        }
    }
}
