package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure one session at a time works a statement job (an index build, a validation), whatever the leases say.
 *
 * <p>A lease can run out while its statement still runs on the server: the owning process stalled, or lost its side
 * connections, but its build goes on. Before the new owner touches anything (an INVALID index it would drop), it takes
 * a session-level advisory lock keyed by the job, held by every session that runs the job's statement for as long as it
 * runs. If an earlier owner's session still holds it, that session is cancelled ({@code pg_cancel_backend}: zdm's own
 * statement, in the same role) and the new owner waits until it is gone; if it cannot be cancelled, the new owner gives
 * the slice back and touches nothing. A fence held only by a session idle for seconds (no statement of the job runs
 * there; behind a transaction-mode pooler the lock can stay behind on some server session) is passed by.
 */
final class JobFence implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");
    /**
     * The fence's two advisory-lock keys: two independent 32-bit hashes of the job's name, so that two jobs share a
     * fence only if both hashes collide (a single {@code hashtext} collides for one pair in about 77,000 names, and
     * a shared fence would have one job's runner cancel the other's statement).
     */
    private static final String KEYS = "hashtext(?), hashtext('zdm job fence:' || ?)";

    private final Connection connection;
    private final String job;
    private final boolean held;

    private JobFence(Connection connection, String job, boolean held) {
        this.connection = connection;
        this.job = job;
        this.held = held;
    }

    /** The fence on {@code connection}'s session, or {@code null} when an earlier session still runs the job. */
    static JobFence acquire(Connection connection, String job, Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean cancelled = false;
        while (true) {
            if (tryLock(connection, job)) {
                return new JobFence(connection, job, true);
            }
            List<Integer> holders = holders(connection, job);
            if (holders.isEmpty() && tryLock(connection, job)) {
                return new JobFence(connection, job, true); // the holder just let go
            }
            if (holders.isEmpty()) {
                // Held only by sessions that have been idle for a while: no statement of the job runs there (behind a
                // transaction-mode pooler the lock can stay behind on some server session); go on without it.
                log.debug("zdm: job {}: its fence is held by an idle session; going on without it", job);
                return new JobFence(connection, job, false);
            }
            if (!cancelled) {
                log.warn("zdm: job {} is still running in session(s) {} of an owner whose lease ran out; cancelling it before"
                        + " this runner takes over", job, holders);
                for (int pid : holders) {
                    cancel(connection, pid);
                }
                cancelled = true;
            }
            if (System.nanoTime() > deadline) {
                log.warn("zdm: job {}: session(s) {} of an earlier owner still run it; giving the job back untouched", job,
                        holders);
                return null;
            }
            Thread.sleep(100);
        }
    }

    private static boolean tryLock(Connection connection, String job) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(" + KEYS + ")")) {
            ps.setString(1, job);
            ps.setString(2, job);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The sessions holding the fence that are running a statement (or were a moment ago). */
    private static List<Integer> holders(Connection connection, String job) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND classid = (hashtext(?)::bigint & 4294967295)::oid"
                + " AND objid = (hashtext('zdm job fence:' || ?)::bigint & 4294967295)::oid"
                + " AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND pid <> pg_backend_pid() AND pid IN (SELECT a.pid FROM pg_stat_activity a WHERE a.state = 'active'"
                + " OR a.state_change > now() - interval '2 seconds')")) {
            ps.setString(1, job);
            ps.setString(2, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        return pids;
    }

    static void cancel(Connection connection, int pid) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_cancel_backend(?)")) {
            ps.setInt(1, pid);
            ps.executeQuery().close();
        } catch (SQLException e) {
            log.warn("zdm: could not cancel session {} ({})", pid, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!held) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(" + KEYS + ")")) {
            ps.setString(1, job);
            ps.setString(2, job);
            ps.executeQuery().close();
        } catch (SQLException e) {
            log.debug("zdm: releasing the fence of job {} failed ({}); it goes with the session", job, e.getMessage());
        }
    }
}
