package dev.zdm.jobs;

import dev.zdm.jobs.SliceWorker.BatchResult;
import dev.zdm.jobs.SliceWorker.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch that hit a value that does not convert, done again row by row in a fresh transaction.
 *
 * <ol>
 *   <li>Renew the fenced lease (locking the slice row); stop if it was lost.</li>
 *   <li>Set the batch timeouts, then apply the change's pinned session settings.</li>
 *   <li>Read the batch's keys after the cursor.</li>
 *   <li>Write each row under its own savepoint; a row that fails with a data exception (class 22) is rolled back to
 *       the savepoint and recorded in {@code zdm_job_reject} with its key and error. Any other error fails the batch.</li>
 *   <li>Stop early once the target batch time has passed (every row statement gets only what is left of the row-lock
 *       limit): the row locks taken are held until commit, so the batch keeps to the same bound as a set-based one.</li>
 *   <li>No keys left ends the pass; otherwise move the cursor to the last key written and commit.</li>
 * </ol>
 */
final class RowByRowBatch {

    private final JobSettings settings;

    RowByRowBatch(JobSettings settings) {
        this.settings = settings;
    }

    BatchResult run(Connection connection, SliceLease lease, BackfillTarget target, int size) throws SQLException {
        SliceLease.SliceState state = lease.renew(connection, settings.lease());
        if (state == null) {
            connection.rollback();
            return new BatchResult(Step.LOST, 0);
        }
        boolean copy = state.phase().equals("COPY");
        JobSession.setBatchTimeouts(connection, settings, settings.lockTimeout());
        target.settings().applyLocal(connection);
        List<String> keys = keys(connection, lease, target, state.cursor(), size);
        long start = System.nanoTime();
        long limitNanos = settings.rowLockLimit().toNanos();
        int done = 0;
        try (PreparedStatement row = connection.prepareStatement(target.rowSql());
                PreparedStatement reject = connection.prepareStatement("INSERT INTO zdm_job_reject (job_name, row_key, error)"
                        + " VALUES (?, ?, ?) ON CONFLICT (job_name, row_key) DO UPDATE SET error = excluded.error");
                Statement savepoints = connection.createStatement()) {
            for (String key : keys) {
                long elapsed = System.nanoTime() - start;
                if (done > 0 && elapsed >= settings.targetBatchTime().toNanos()) {
                    break; // the locks taken so far are held until commit: stop at the target, keep the progress
                }
                // the statement may use what is left of the row-lock limit, not a full one per row
                long leftMillis = Math.max(1, (limitNanos - elapsed) / 1_000_000);
                savepoints.execute("SAVEPOINT zdm_row; SET LOCAL statement_timeout = " + leftMillis);
                done++;
                try {
                    row.setString(1, key);
                    row.executeUpdate();
                    savepoints.execute("RELEASE SAVEPOINT zdm_row");
                } catch (SQLException e) {
                    savepoints.execute("ROLLBACK TO SAVEPOINT zdm_row");
                    if (!PgState.isDataException(e)) {
                        throw e;
                    }
                    reject.setString(1, lease.job());
                    reject.setString(2, key);
                    reject.setString(3, e.getMessage());
                    reject.executeUpdate();
                }
            }
        }
        if (keys.isEmpty()) {
            return SliceCompletion.endPass(connection, lease, copy, size);
        }
        if (!lease.advance(connection, keys.get(done - 1), state.phase(), copy ? done : 0, size)) {
            connection.rollback();
            return new BatchResult(Step.LOST, 0);
        }
        connection.commit();
        return new BatchResult(Step.PROGRESS, done, copy ? done : 0);
    }

    private static List<String> keys(Connection connection, SliceLease lease, BackfillTarget target, String cursor, int size)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(target.keysSql(cursor != null, lease.upperKey() != null))) {
            int i = 1;
            if (cursor != null) {
                ps.setString(i++, cursor);
            }
            if (lease.upperKey() != null) {
                ps.setString(i++, lease.upperKey());
            }
            ps.setInt(i, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }
}
