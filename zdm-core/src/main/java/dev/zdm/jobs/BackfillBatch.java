package dev.zdm.jobs;

import dev.zdm.jobs.SliceWorker.BatchResult;
import dev.zdm.jobs.SliceWorker.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a backfill's copy or verify pass, in one transaction; progress is exactly-once.
 *
 * <ol>
 *   <li>Renew the fenced lease (locking the slice row). A lost lease stops here; a paused or cancelled job releases
 *       the slice and stops.</li>
 *   <li>Set the batch timeouts, then apply the change's pinned session settings.</li>
 *   <li>Copy pass: the next keys after the cursor, written directly (with {@link BackfillTarget#assigned()}, compared
 *       with {@link BackfillTarget#converted()}) under a lock timeout of at most 50 ms; a batch that meets the
 *       application's row locks is rolled back to its savepoint and redone with {@code SKIP LOCKED} under the full
 *       lock timeout.</li>
 *   <li>Verify pass: the same range again, four batches wide, read-only; writing (and waiting for row locks up to the
 *       lock timeout) only where a row still differs.</li>
 *   <li>A data exception (class 22) rolls back and redoes the batch row by row ({@link RowByRowBatch}).</li>
 *   <li>No keys left ends the pass ({@link SliceCompletion#endPass}); otherwise move the cursor (fenced) and commit.</li>
 *   <li>Any failure rolls back: a lock timeout reports {@link Step#LOCKED}, a statement timeout
 *       {@link Step#TIMED_OUT}, anything else is thrown.</li>
 * </ol>
 */
final class BackfillBatch {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");
    private static final Duration FAST_LOCK_TIMEOUT = Duration.ofMillis(50);

    private final JobSettings settings;
    private final RowByRowBatch rowByRow;

    BackfillBatch(JobSettings settings) {
        this.settings = settings;
        this.rowByRow = new RowByRowBatch(settings);
    }

    /** The one row a copy or verify statement returns: rows written (copy) or still differing (verify). */
    private record Window(String lastKey, long scanned, long differing) {
    }

    /** The longest a statement of these batches may run ({@link JobSettings#rowLockLimit()}). */
    Duration limit() {
        return settings.rowLockLimit();
    }

    BatchResult run(Connection connection, SliceLease lease, BackfillTarget target, int size) throws SQLException {
        connection.setAutoCommit(false);
        try {
            SliceLease.SliceState state = lease.renew(connection, settings.lease());
            if (state == null) {
                connection.rollback();
                log.warn("zdm: job {} slice {}: lease lost (another runner took it over); stopping here", lease.job(), lease.slice());
                return new BatchResult(Step.LOST, 0);
            }
            if (!state.jobState().runnable()) {
                lease.release(connection);
                connection.commit();
                return new BatchResult(Step.STOPPED, 0);
            }
            boolean copy = state.phase().equals("COPY");
            Window window;
            try {
                window = copy ? copy(connection, target, state.cursor(), lease.upperKey(), size)
                        : verify(connection, target, state.cursor(), lease.upperKey(), size);
            } catch (SQLException e) {
                if (PgState.isDataException(e)) {
                    connection.rollback();
                    return rowByRow.run(connection, lease, target, size);
                }
                throw e;
            }
            long scanned = window.scanned();
            if (scanned == 0) {
                return SliceCompletion.endPass(connection, lease, copy, size);
            }
            if (!lease.advance(connection, window.lastKey(), state.phase(), copy ? scanned : 0, size)) {
                connection.rollback();
                return new BatchResult(Step.LOST, 0);
            }
            connection.commit();
            return new BatchResult(Step.PROGRESS, scanned, copy ? scanned : 0);
        } catch (SQLException e) {
            connection.rollback();
            if (PgState.is(e, PgState.LOCK_NOT_AVAILABLE)) {
                return new BatchResult(Step.LOCKED, 0);
            }
            if (PgState.is(e, PgState.QUERY_CANCELED)) {
                return new BatchResult(Step.TIMED_OUT, 0);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Writes directly under a short lock timeout; only a batch that meets the application's row locks is redone with
     * SKIP LOCKED (locking first costs a write per row, so it is not the default).
     */
    private Window copy(Connection connection, BackfillTarget target, String cursor, String upper, int size)
            throws SQLException {
        JobSession.setBatchTimeouts(connection, settings,
                FAST_LOCK_TIMEOUT.compareTo(settings.lockTimeout()) < 0 ? FAST_LOCK_TIMEOUT : settings.lockTimeout());
        target.settings().applyLocal(connection);
        JobSession.execute(connection, "SAVEPOINT zdm_batch");
        try {
            return query(connection, target.copySql(cursor != null, upper != null, false), cursor, upper, size, cursor);
        } catch (SQLException e) {
            if (!PgState.is(e, PgState.LOCK_NOT_AVAILABLE)) {
                throw e;
            }
            JobSession.execute(connection, "ROLLBACK TO SAVEPOINT zdm_batch");
            JobSession.setBatchTimeouts(connection, settings, settings.lockTimeout());
            return query(connection, target.copySql(cursor != null, upper != null, true), cursor, upper, size, null);
        }
    }

    /** Reads the window; writes only the rows that still differ, waiting for their row locks. */
    private Window verify(Connection connection, BackfillTarget target, String cursor, String upper, int size)
            throws SQLException {
        JobSession.setBatchTimeouts(connection, settings, settings.lockTimeout());
        target.settings().applyLocal(connection);
        Window window = query(connection, target.verifySql(cursor != null, upper != null), cursor, upper, size * 4, null);
        if (window.differing() > 0) {
            try (PreparedStatement fix = connection.prepareStatement(target.fixSql(cursor != null))) {
                int i = 1;
                if (cursor != null) {
                    fix.setString(i++, cursor);
                }
                fix.setString(i, window.lastKey());
                fix.executeUpdate();
            }
        }
        return window;
    }

    /**
     * Runs a copy or verify statement: binds the cursor (if any), the upper bound (if any), the size, and a non-null
     * {@code cursorAgain} once more after the size (when the SQL repeats the cursor).
     */
    private static Window query(Connection connection, String sql, String cursor, String upper, int size, String cursorAgain)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (cursor != null) {
                ps.setString(i++, cursor);
            }
            if (upper != null) {
                ps.setString(i++, upper);
            }
            ps.setInt(i++, size);
            if (cursorAgain != null) {
                ps.setString(i, cursorAgain);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Window(rs.getString(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }
}
