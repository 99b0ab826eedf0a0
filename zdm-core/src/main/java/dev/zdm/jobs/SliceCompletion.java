package dev.zdm.jobs;

import dev.zdm.jobs.SliceWorker.BatchResult;
import dev.zdm.jobs.SliceWorker.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a pass, a slice and a job, in the transaction of the batch that found it.
 *
 * <ol>
 *   <li>The end of the copy pass moves the slice (fenced) back to its lower key in phase VERIFY.</li>
 *   <li>The end of the verify pass (or a statement job's one statement) marks the slice DONE and releases it.</li>
 *   <li>The last slice to finish locks the job row and completes the job, or fails it when rows did not convert,
 *       naming up to ten of their keys.</li>
 * </ol>
 */
final class SliceCompletion {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");

    private SliceCompletion() {
    }

    /** The end of the copy pass starts the verify pass; the end of the verify pass finishes the slice. */
    static BatchResult endPass(Connection connection, SliceLease lease, boolean copy, int size) throws SQLException {
        if (!lease.advance(connection, lease.lowerKey(), copy ? "VERIFY" : "DONE", 0, size)) {
            connection.rollback();
            return new BatchResult(Step.LOST, 0);
        }
        if (copy) {
            connection.commit();
            return new BatchResult(Step.PROGRESS, 0);
        }
        lease.release(connection);
        completeIfLast(connection, lease.job());
        connection.commit();
        return new BatchResult(Step.DONE, 0);
    }

    /**
     * Completes (or fails) every running job whose slices are all DONE but that is still RUNNING: a job paused while
     * its last statement or batch finished, then resumed, or one left stuck by an older zdm. Each in its own
     * transaction; returns how many were finished.
     */
    static int finishDone(Connection connection) throws SQLException {
        java.util.List<String> done = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT j.name FROM zdm_job j WHERE j.planned"
                + " AND j.state = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM zdm_job_slice s WHERE s.job_name = j.name"
                + " AND s.phase <> 'DONE') ORDER BY j.created_at"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                done.add(rs.getString(1));
            }
        }
        for (String job : done) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                completeIfLast(connection, job);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        return done.size();
    }

    /** Called in the transaction that finished a slice: the last one completes (or fails) the job. */
    static void completeIfLast(Connection connection, String job) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT state FROM zdm_job WHERE name = ? FOR UPDATE")) {
            lock.setString(1, job);
            lock.executeQuery().close();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT (SELECT count(*) FROM zdm_job_slice WHERE job_name = ?"
                + " AND phase <> 'DONE'), (SELECT count(*) FROM zdm_job_reject WHERE job_name = ?), (SELECT string_agg(row_key, ', ')"
                + " FROM (SELECT row_key FROM zdm_job_reject WHERE job_name = ? ORDER BY length(row_key), row_key LIMIT 10) k),"
                + " (SELECT min(error) FROM zdm_job_reject WHERE job_name = ?)")) {
            for (int i = 1; i <= 4; i++) {
                ps.setString(i, job);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
                long rejects = rs.getLong(2);
                String state = rejects == 0 ? "COMPLETED" : "FAILED";
                String error = rejects == 0 ? null : rejects + " row(s) do not convert (e.g. keys " + rs.getString(3) + ": "
                        + rs.getString(4) + "); their target stays NULL. Fix those rows (the mirror trigger keeps later"
                        + " writes right), then retry the job";
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE zdm_job SET state = ?, last_error = ?, updated_at = now() WHERE name = ? AND state = 'RUNNING'")) {
                    update.setString(1, state);
                    update.setString(2, error);
                    update.setString(3, job);
                    if (update.executeUpdate() == 0) {
                        return;
                    }
                }
                if (rejects == 0) {
                    log.info("zdm: job {} COMPLETED", job);
                } else {
                    log.error("zdm: job {} FAILED: {}", job, error);
                }
            }
        }
    }
}
