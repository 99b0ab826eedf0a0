package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A slice claimed by one owner. The fence grows with every claim; every write of the slice's progress checks
 * owner and fence, so an instance that lost its lease (stalled past it, then woke up) can never move the cursor.
 */
record SliceLease(String job, int slice, String owner, long fence, String lowerKey, String upperKey, Integer batchSize) {

    /**
     * Claims one free slice of a runnable, planned job with one statement: {@code FOR UPDATE SKIP LOCKED} so
     * runners never wait for each other, database time for the lease.
     */
    static SliceLease claim(Connection connection, String owner, Duration lease) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job_slice s SET owner = ?,"
                + " lease_until = now() + make_interval(secs => ?), fence = s.fence + 1, updated_at = now(),"
                + " rate_rows = s.rows_done, rate_at = now(), recent_rate = NULL"
                + " WHERE (s.job_name, s.slice) = (SELECT c.job_name, c.slice FROM zdm_job_slice c JOIN zdm_job j ON j.name = c.job_name"
                + " WHERE j.planned AND j.state IN ('PENDING', 'RUNNING') AND c.phase <> 'DONE'"
                + " AND (c.lease_until IS NULL OR c.lease_until < now()) ORDER BY j.created_at, c.slice LIMIT 1"
                + " FOR UPDATE OF c SKIP LOCKED)"
                + " RETURNING s.job_name, s.slice, s.fence, s.lower_key, s.upper_key, s.batch_size")) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new SliceLease(rs.getString(1), rs.getInt(2), owner, rs.getLong(3), rs.getString(4), rs.getString(5),
                        (Integer) rs.getObject(6));
            }
        }
    }

    /**
     * Checks the lease and extends it, locking the slice row for the rest of the transaction. Returns the slice's
     * state, or {@code null} when the lease was lost (another owner, or a newer fence).
     */
    SliceState renew(Connection connection, Duration lease) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job_slice s SET lease_until = now()"
                + " + make_interval(secs => ?), updated_at = now() FROM zdm_job j WHERE s.job_name = ? AND s.slice = ?"
                + " AND s.owner = ? AND s.fence = ? AND j.name = s.job_name RETURNING j.state, s.cursor_key, s.phase")) {
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setString(2, job);
            ps.setInt(3, slice);
            ps.setString(4, owner);
            ps.setLong(5, fence);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new SliceState(JobState.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    /**
     * Moves the cursor (fenced), counting {@code rowsDone} into the slice's rate: a window starts when the slice is claimed
     * and closes after {@link #RATE_WINDOW_SECONDS}, when its rows over its time become the recent rate and the next window
     * starts. Returns false when the lease was lost.
     */
    boolean advance(Connection connection, String cursor, String phase, long rowsDone, int newBatchSize) throws SQLException {
        String closes = "(s.rate_at IS NOT NULL AND now() - s.rate_at >= make_interval(secs => " + RATE_WINDOW_SECONDS + "))";
        try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job_slice s SET cursor_key = p.cursor, phase = p.phase,"
                + " rows_done = s.rows_done + p.n, batch_size = p.size, updated_at = now(),"
                + " recent_rate = CASE WHEN " + closes + " THEN (s.rows_done + p.n - s.rate_rows) / extract(epoch FROM now() - s.rate_at)"
                + " ELSE s.recent_rate END,"
                + " rate_rows = CASE WHEN s.rate_at IS NULL OR " + closes + " THEN s.rows_done + p.n ELSE s.rate_rows END,"
                + " rate_at = CASE WHEN s.rate_at IS NULL OR " + closes + " THEN now() ELSE s.rate_at END"
                + " FROM (SELECT ?::text AS cursor, ?::text AS phase, ?::bigint AS n, ?::int AS size, ?::text AS job, ?::int AS slice,"
                + " ?::text AS owner, ?::bigint AS fence) p"
                + " WHERE s.job_name = p.job AND s.slice = p.slice AND s.owner = p.owner AND s.fence = p.fence")) {
            ps.setString(1, cursor);
            ps.setString(2, phase);
            ps.setLong(3, rowsDone);
            ps.setInt(4, newBatchSize);
            ps.setString(5, job);
            ps.setInt(6, slice);
            ps.setString(7, owner);
            ps.setLong(8, fence);
            return ps.executeUpdate() == 1;
        }
    }

    /** How long a slice's rate window lasts. */
    static final int RATE_WINDOW_SECONDS = 5;

    /** Gives the slice back (graceful shutdown, pause); its progress stays. */
    void release(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job_slice SET owner = NULL, lease_until = NULL,"
                + " updated_at = now() WHERE job_name = ? AND slice = ? AND owner = ? AND fence = ?")) {
            ps.setString(1, job);
            ps.setInt(2, slice);
            ps.setString(3, owner);
            ps.setLong(4, fence);
            ps.executeUpdate();
        }
    }

    /** The state a renewal reads. */
    record SliceState(JobState jobState, String cursor, String phase) {
    }
}
