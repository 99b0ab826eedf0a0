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
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * INDEX, VALIDATE, ANALYZE and DDL: one statement (or, for DDL, a few in one transaction), with the lease kept alive from a second connection meanwhile.
 *
 * <ol>
 *   <li>Take the job's {@link JobFence}: a session of an earlier owner whose lease ran out that still runs the statement
 *       is cancelled first (or, if it cannot be, the slice is given back untouched).</li>
 *   <li>Start a {@link LeaseKeeper} on a second connection; a lost lease cancels the statement, and its failure is then
 *       not recorded (the new owner goes on).</li>
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("dev.zdm.jobs");

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
        // The lease is kept from the start: waiting for a predecessor to let go of the fence must not let it lapse.
        LeaseKeeper keeper = new LeaseKeeper(dataSource, lease, settings.lease(), backendPid(connection));
        JobFence fence;
        try {
            fence = JobFence.acquire(connection, job.name(), settings.lease().dividedBy(2));
        } catch (SQLException | InterruptedException | RuntimeException e) {
            keeper.close();
            throw e;
        }
        if (fence == null) {
            keeper.close();
            release(connection, lease);
            return;
        }
        try (fence) {
            try {
                switch (job.kind()) {
                    case INDEX -> new ConcurrentIndexBuild(schemaOf(job.table()), job.targetColumn(), job.statement(),
                            "job " + job.name()).run(connection, () -> !keeper.lost());
                    case VALIDATE -> validate(connection, job);
                    case ANALYZE -> JobSession.execute(connection, "ANALYZE " + TableName.sqlOf(
                            SqlFragments.checked("ANALYZE job " + job.name(), "table", job.table(), Fragment.TABLE)));
                    case DDL -> ddl(connection, job);
                    case REVERT -> revert(connection, job);
                    default -> throw new IllegalStateException(job.kind().name());
                }
            } catch (SQLException e) {
                keeper.close();
                if (keeper.lost()) {
                    log.warn("zdm: job {} stopped: its lease was lost while it ran ({}); the new owner goes on", job.name(),
                            e.getMessage());
                    return;
                }
                failIfStillOwned(connection, lease, job.kind() + " failed: " + withDetail(e));
                return;
            } catch (SqlFragmentException e) {
                keeper.close();
                failIfStillOwned(connection, lease, job.kind() + " refused: " + e.getMessage());
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
    }

    /** The schema of a job's table as it is stored ({@code public.file}), or {@code null} when it is not qualified. */
    private static String schemaOf(String table) {
        try {
            return TableName.parse(TableName.sqlOf(table)).schema();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Fails the job, unless another runner owns its slice by now (then its outcome is that runner's). */
    private void failIfStillOwned(Connection connection, SliceLease lease, String error) throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (lease.renew(connection, settings.lease()) == null) {
                connection.rollback();
                log.warn("zdm: job {}: {} - not recorded, another runner owns the job now", lease.job(), error);
                return;
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
        JobPlanner.fail(connection, lease.job(), error);
    }

    private static void release(Connection connection, SliceLease lease) throws SQLException {
        lease.release(connection);
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
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
            String[] check = PgState.isIntegrityViolation(e) ? checkOf(connection, table, job.statement()) : null;
            if (job.using() != null && PgState.isIntegrityViolation(e)) {
                // A constraint this job added must not stay NOT VALID when rows refuse it: it would refuse writes of such
                // rows that worked before. Drop it again; a retry of the job adds it afresh.
                retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + constraint);
            }
            String rows = check == null ? null : violatingRows(connection, table, check); // after the drop: it may scan
            if (rows != null) {
                throw new SQLException(e.getMessage() + " (" + rows + ")", e.getSQLState(), e);
            }
            throw e;
        }
    }

    /** A CHECK constraint's expression and the table's one-column key (or {@code null}), or {@code null} for other kinds. */
    private static String[] checkOf(Connection connection, String table, String constraint) {
        try {
            return dev.zdm.columnchange.Sql.row(connection, "SELECT pg_get_expr(c.conbin, c.conrelid),"
                    + " (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                    + " WHERE i.indrelid = c.conrelid AND i.indisprimary AND i.indnatts = 1) FROM pg_constraint c"
                    + " WHERE c.conrelid = to_regclass(?) AND c.conname = ? AND c.contype = 'c'", table, constraint);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * The keys of up to five rows a CHECK refuses ("rows with id 3, 17"), so the error says which rows to fix; looked for
     * for at most five seconds (with few such rows the search scans the table), {@code null} when none was found in time.
     */
    private static String violatingRows(Connection connection, String table, String[] check) {
        String key = check[1] == null ? "ctid" : TableName.quote(check[1]);
        try {
            JobSession.execute(connection, "SET statement_timeout = '5s'");
            String[] sample = dev.zdm.columnchange.Sql.row(connection, "SELECT string_agg(k, ', ') FROM (SELECT " + key
                    + "::text AS k FROM " + table + " WHERE (" + check[0] + ") IS FALSE LIMIT 5) s");
            return sample == null || sample[0] == null ? null : "e.g. rows with " + (check[1] == null ? "ctid" : check[1]) + " "
                    + sample[0];
        } catch (SQLException e) {
            return null;
        } finally {
            try {
                JobSession.execute(connection, "RESET statement_timeout");
            } catch (SQLException ignored) {
                // the connection is broken: the original failure says why
            }
        }
    }

    /**
     * A revert, in one run: the proof that every value fits the old column (its helper check exists only while this
     * runs, so no write is refused beyond it), then the swap back; nothing to do once the column is no longer cut over.
     */
    private void revert(Connection connection, JobRow job) throws SQLException, InterruptedException {
        // zdm's own statements, as when the revert runs inside Liquibase: timed and retried by a guard, never judged
        try (dev.zdm.guard.MigrationContext context = dev.zdm.guard.MigrationContext.open("job " + job.name())) {
            context.zdmChangeRunning(true);
            revertNow(connection, job);
        }
    }

    private void revertNow(Connection connection, JobRow job) throws SQLException, InterruptedException {
        try {
            dev.zdm.columnchange.ColumnRevert revert = dev.zdm.columnchange.ColumnRevert.of(connection, job.statement(),
                    job.targetColumn());
            if (revert == null) {
                return;
            }
            retryOnLockTimeout(connection, job, () -> revert.validateNow(connection));
            try {
                // a busy table: keep the validated check and try the swap again, as for any lock timeout of a job
                retryOnLockTimeout(connection, job, () -> revert.swapBack(connection, true));
            } catch (SQLException e) {
                if (PgState.is(e, PgState.LOCK_NOT_AVAILABLE)) { // the runner stops: leave no check behind
                    throw new SQLException(e.getMessage() + revert.dropCheckWithinLockTimeout(connection), e.getSQLState(), e);
                }
                throw e;
            }
        } catch (dev.zdm.ZdmException e) {
            throw new SQLException(e.getMessage(), "55000", e);
        }
    }

    /** The statements in one transaction, each under the lock timeout; a lock timeout rolls back and tries again. */
    private void ddl(Connection connection, JobRow job) throws SQLException, InterruptedException {
        List<String> statements = List.of(job.statement().split(JobDefinition.Ddl.SEPARATOR));
        for (int attempt = 1;; attempt++) {
            connection.setAutoCommit(false);
            try {
                JobSession.execute(connection, "SET LOCAL lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                // short by design (the jobs before it did the slow part): never a scan under its strong lock
                JobSession.execute(connection, "SET LOCAL statement_timeout = '"
                        + dev.zdm.ZdmDefaults.STATEMENT_TIMEOUT.toMillis() + "ms'");
                for (String statement : statements) {
                    JobSession.execute(connection, statement);
                }
                connection.commit();
                return;
            } catch (SQLException e) {
                connection.rollback();
                if (!PgState.is(e, PgState.LOCK_NOT_AVAILABLE) || stopping.getAsBoolean()) {
                    throw e;
                }
                listener.throttled(job.name(), "lock-timeout");
                Backoff.sleep(Backoff.LOCK_TIMEOUT.delay(attempt), stopping);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Work on the job's own session that may meet a lock timeout. */
    private interface SessionWork {
        void run() throws SQLException;
    }

    private void retryOnLockTimeout(Connection connection, JobRow job, String sql) throws SQLException, InterruptedException {
        retryOnLockTimeout(connection, job, () -> JobSession.execute(connection, sql));
    }

    /** Runs {@code work} under the lock timeout; a lock timeout backs off and runs it again, until the runner stops. */
    private void retryOnLockTimeout(Connection connection, JobRow job, SessionWork work) throws SQLException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                JobSession.execute(connection, "SET lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                work.run();
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
