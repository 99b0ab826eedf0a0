package dev.zdm.columnchange;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardSettings;
import dev.zdm.guard.LockWaitTimeoutException;
import dev.zdm.guard.internal.GuardedConnection;
import dev.zdm.guard.internal.LockWaitWatch;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swap transaction of a cutover or a revert: its ACCESS EXCLUSIVE locks taken within one budget, the swap run
 * under them, the whole transaction retried with backoff when the budget runs out.
 *
 * <ol>
 *   <li>Lock the tables in their order, each {@code LOCK TABLE} under what is left of the budget
 *       ({@code zdm.cutover.lock-timeout}, {@link GuardSettings#cutoverLockTimeout()}), on the connection under the
 *       guard: writers queued behind the first table wait at most the budget, however many tables follow.</li>
 *   <li>Run the swap ({@link Body}); its statements go through the guard, which fails at once at a lock timeout, since
 *       strong locks are held.</li>
 *   <li>Meanwhile the guard's blocker sampling watches from a second connection: it names who blocks, and cancels an
 *       autovacuum worker that alone blocks where the role may ({@code zdm.guard.cancel-autovacuum}).</li>
 *   <li>Commit. A lock timeout or deadlock rolls everything back, names the sessions holding locks on those tables,
 *       backs off as the guard does ({@code zdm.guard.lock-retries}, the guard's backoff; at once after cancelling an
 *       autovacuum) and tries again.</li>
 * </ol>
 */
public final class SwapTransaction {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.guard");

    /** The swap itself, run once its locks are held; it may take more locks through {@link Locks}. */
    public interface Body {
        void run(Locks locks) throws SQLException;
    }

    /** Takes further locks within what is left of the same budget. */
    public interface Locks {
        void lock(List<String> tables) throws SQLException;
    }

    private final Connection connection;
    private final Connection unguarded;
    private final GuardSettings settings;
    private final GuardListener listener;

    private SwapTransaction(Connection connection) throws SQLException {
        this.connection = connection;
        Guard guard = Guard.of(connection);
        this.unguarded = guard == null ? connection : connection.unwrap(GuardedConnection.class).unguarded();
        this.settings = guard == null ? GuardSettings.defaults() : guard.settings();
        this.listener = guard == null ? GuardListener.NONE : guard.listener();
    }

    /**
     * Runs {@code body} in one transaction holding ACCESS EXCLUSIVE locks on {@code tables} (SQL names, in lock
     * order), retried as a whole. {@code what} names the stage for messages, e.g. "cutover of file.id".
     */
    public static void run(Connection connection, String what, List<String> tables, Body body) throws SQLException {
        run(connection, what, TableName.parse(tables.get(0)), tables, body);
    }

    /** As {@link #run(Connection, String, List, Body)}, naming {@code subject} in metrics and logs (the changed table). */
    public static void run(Connection connection, String what, TableName subject, List<String> tables, Body body)
            throws SQLException {
        new SwapTransaction(connection).run(what, subject, tables, body);
    }

    private void run(String what, TableName subject, List<String> tables, Body body) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            int pid = backendPid();
            long waitStart = System.nanoTime();
            for (int attempt = 0;; attempt++) {
                long deadline = System.nanoTime() + settings.cutoverLockTimeout().toNanos();
                LockWaitWatch watch = LockWaitWatch.start(connection, pid, settings.cutoverLockTimeout().dividedBy(2), subject);
                try {
                    lock(tables, deadline);
                    listener.cutoverLockWaited(subject, Duration.ofNanos(System.nanoTime() - waitStart), true);
                    if (watch != null) {
                        watch.stop();
                        watch = null;
                    }
                    body.run(more -> lock(more, deadline));
                    connection.commit();
                    return;
                } catch (RuntimeException | Error e) {
                    if (watch != null) {
                        watch.stop();
                    }
                    connection.rollback(); // never let the autocommit restore below commit half a swap
                    throw e;
                } catch (SQLException e) {
                    LockWaitWatch.Seen seen = watch == null ? null : isLockTimeout(e) ? watch.afterTimeout() : null;
                    if (watch != null && seen == null) {
                        watch.stop();
                    }
                    connection.rollback();
                    if (!isLockTimeout(e)) {
                        throw e;
                    }
                    String when = "; while it waited: ";
                    if (watch == null) {
                        seen = LockWaitWatch.onSession(connection, subject, tables); // no second connection watched
                        when = "; ";
                    }
                    String holders = holders(tables) + (seen == null || seen.text().isEmpty() ? "" : when + seen.text());
                    connection.rollback(); // hold no snapshot through the backoff
                    if (attempt >= settings.lockRetries()) {
                        listener.cutoverLockWaited(subject, Duration.ofNanos(System.nanoTime() - waitStart), false);
                        throw new LockWaitTimeoutException("zdm gave up taking the locks of the " + what + " after "
                                + (attempt + 1) + " attempt(s) of " + settings.cutoverLockTimeout().toMillis() + " ms"
                                + " (zdm.cutover.lock-timeout) on " + String.join(", ", tables) + ": " + holders
                                + ". Nothing was changed. Let those transactions finish (or end them), then run the migration"
                                + " again; raise zdm.guard.lock-retries to wait longer.", e);
                    }
                    Duration pause = seen != null && seen.autovacuumCancelled() ? Duration.ZERO
                            : settings.backoff(attempt + 1, ThreadLocalRandom.current());
                    log.warn("zdm: {}: could not lock {} within {} ms, retrying in {} ms (attempt {} of {}): {}", what,
                            String.join(", ", tables), settings.cutoverLockTimeout().toMillis(), pause.toMillis(), attempt + 2,
                            settings.lockRetries() + 1, holders);
                    listener.lockRetried(subject, attempt + 1, pause, holders);
                    sleep(pause);
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private int backendPid() throws SQLException {
        String[] row = Sql.row(unguarded, "SELECT pg_backend_pid()::text");
        return Integer.parseInt(row[0]);
    }

    /** Each table under what is left of the budget; an exhausted budget is a lock timeout like PostgreSQL's. */
    private void lock(List<String> tables, long deadline) throws SQLException {
        try (Statement statement = unguarded.createStatement()) {
            for (String table : tables) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis < 1) {
                    throw new SQLException("zdm: the lock budget ran out before " + table + " was locked", "55P03");
                }
                statement.execute("SET LOCAL lock_timeout = " + leftMillis + "; LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
            // the swap's own statements wait no longer than the guard allows other DDL
            statement.execute("SET LOCAL lock_timeout = " + settings.lockTimeout().toMillis());
        }
    }

    /** Who holds locks on the tables now (the transaction was rolled back, so this session holds none). */
    private String holders(List<String> tables) {
        try {
            String[] row = Sql.row(unguarded, "SELECT string_agg(DISTINCT format('pid %s (%s on %s, %s, transaction open %s s,"
                    + " last query: %s)', a.pid, l.mode, l.relation::regclass, coalesce(a.backend_type, '') || ' ' || coalesce(a.state, ''),"
                    + " coalesce(extract(epoch FROM now() - a.xact_start)::bigint, 0), left(regexp_replace(coalesce(a.query, ''),"
                    + " '\\s+', ' ', 'g'), 200)), '; ') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.granted"
                    + " AND l.locktype = 'relation' AND l.relation = ANY (?::regclass[]) AND l.pid <> pg_backend_pid()",
                    "{" + String.join(",", tables.stream().map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                            .toList()) + "}");
            return row == null || row[0] == null ? "no session holds a lock on them now (the blocker finished)"
                    : "locks held by " + row[0];
        } catch (SQLException e) {
            return "blocking sessions unknown (" + e.getMessage() + ")";
        }
    }

    /** Whether {@code e} is (or was caused by) a lock timeout or a deadlock. */
    public static boolean isLockTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("55P03".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration pause) throws SQLException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while backing off after a lock timeout", "57014", e);
        }
    }
}
