package dev.zdm.jobs;

import dev.zdm.ddl.ConcurrentIndexBuild;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.SqlFragmentException;
import dev.zdm.sql.SqlFragments;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * INDEX, VALIDATE and ANALYZE: one statement, with the lease kept alive from a second connection meanwhile.
 *
 * <ol>
 *   <li>Start a {@link LeaseKeeper} on a second connection.</li>
 *   <li>Run the statement: INDEX builds concurrently ({@link ConcurrentIndexBuild}); VALIDATE adds the constraint
 *       {@code NOT VALID} first when the job carries its definition and it does not exist yet, then validates it;
 *       ANALYZE analyzes the table.</li>
 *   <li>VALIDATE's statements run under the lock timeout; a lock timeout backs off ({@link Backoff#LOCK_TIMEOUT})
 *       and retries until the runner stops. The session's {@code lock_timeout} is reset after every attempt.</li>
 *   <li>A failed statement fails the job with its error.</li>
 *   <li>Otherwise, in one transaction: renew the fenced lease, mark the slice DONE, release it and complete the job
 *       if it was the last slice ({@link SliceCompletion#completeIfLast}).</li>
 * </ol>
 */
final class StatementJob {

    private final DataSource dataSource;
    private final JobSettings settings;
    private final JobListener listener;
    private final BooleanSupplier stopping;

    StatementJob(DataSource dataSource, JobSettings settings, JobListener listener, BooleanSupplier stopping) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listener = listener;
        this.stopping = stopping;
    }

    void run(Connection connection, SliceLease lease, JobRow job) throws SQLException, InterruptedException {
        LeaseKeeper keeper = new LeaseKeeper(dataSource, lease, settings.lease());
        try {
            switch (job.kind()) {
                case INDEX -> new ConcurrentIndexBuild(job.targetColumn(), job.statement(), "job " + job.name()).run(connection);
                case VALIDATE -> validate(connection, job);
                case ANALYZE -> JobSession.execute(connection, "ANALYZE " + TableName.sqlOf(
                        SqlFragments.checked("ANALYZE job " + job.name(), "table", job.table(), Fragment.TABLE)));
                default -> throw new IllegalStateException(job.kind().name());
            }
        } catch (SQLException e) {
            keeper.close();
            JobPlanner.fail(connection, job.name(), job.kind() + " failed: " + withDetail(e));
            return;
        } catch (SqlFragmentException e) {
            keeper.close();
            JobPlanner.fail(connection, job.name(), job.kind() + " refused: " + e.getMessage());
            return;
        } finally {
            keeper.close();
        }
        connection.setAutoCommit(false);
        try {
            if (lease.renew(connection, settings.lease()) == null || !lease.advance(connection, null, "DONE", 0, 0)) {
                connection.rollback();
                return;
            }
            lease.release(connection);
            SliceCompletion.completeIfLast(connection, job.name());
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void validate(Connection connection, JobRow job) throws SQLException, InterruptedException {
        String context = "VALIDATE job " + job.name();
        SqlFragments.require(context, "table", job.table(), Fragment.TABLE);
        SqlFragments.require(context, "definition", job.using(), Fragment.CONSTRAINT_DEFINITION);
        String table = TableName.sqlOf(job.table());
        String constraint = TableName.quote(job.statement());
        if (job.using() != null && !constraintExists(connection, job.table(), job.statement())) {
            retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " " + job.using()
                    + " NOT VALID");
        }
        try {
            retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint);
        } catch (SQLException e) {
            if (job.using() != null && PgState.isIntegrityViolation(e)) {
                // A constraint this job added must not stay NOT VALID when rows refuse it: it would refuse writes of such
                // rows that worked before. Drop it again; a retry of the job adds it afresh.
                retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + constraint);
            }
            throw e;
        }
    }

    private void retryOnLockTimeout(Connection connection, JobRow job, String sql) throws SQLException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                JobSession.execute(connection, "SET lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                JobSession.execute(connection, sql);
                return;
            } catch (SQLException e) {
                if (!PgState.is(e, PgState.LOCK_NOT_AVAILABLE) || stopping.getAsBoolean()) {
                    throw e;
                }
                listener.throttled(job.name(), "lock-timeout");
                Backoff.sleep(Backoff.LOCK_TIMEOUT.delay(attempt), stopping);
            } finally {
                try {
                    JobSession.execute(connection, "RESET lock_timeout");
                } catch (SQLException ignored) {
                    // the connection is broken: the original failure says why
                }
            }
        }
    }

    private static boolean constraintExists(Connection connection, String table, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?")) {
            ps.setString(1, TableName.sqlOf(table));
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The message with PostgreSQL's DETAIL (e.g. which key is duplicated), which names the rows at fault. */
    static String withDetail(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof org.postgresql.util.PSQLException pg && pg.getServerErrorMessage() != null) {
            String detail = pg.getServerErrorMessage().getDetail();
            if (detail != null && !message.contains(detail)) {
                message += " (" + detail + ")";
            }
        }
        return message;
    }
}
