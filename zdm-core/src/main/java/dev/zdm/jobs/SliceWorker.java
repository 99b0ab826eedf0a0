package dev.zdm.jobs;

import dev.zdm.ddl.ConcurrentIndexBuild;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one claimed slice until it is done, its job is paused or cancelled, its lease is lost, or the runner stops.
 *
 * <ol>
 *   <li>Each backfill batch is one transaction: renew the fenced lease (locking the slice row), set a short
 *       {@code lock_timeout}, write the batch, move the cursor. Progress is exactly-once.</li>
 *   <li>Copy pass: the next keys after the cursor, written directly under a 50 ms lock timeout; a batch that meets
 *       the application's row locks is redone with {@code SKIP LOCKED}. Verify pass: the same range again, read-only,
 *       writing (and waiting for row locks up to the lock timeout) only where a row still differs. The slice is done
 *       after a verify pass.</li>
 *   <li>A lock timeout backs off and retries; a statement timeout halves the batch; a value that does not convert
 *       makes the batch go row by row, and the rows that fail are recorded with their keys.</li>
 *   <li>Batch sizes adapt towards the target batch time; throttles run before every batch.</li>
 *   <li>The last slice to finish completes the job (or fails it, if rows did not convert).</li>
 * </ol>
 */
final class SliceWorker {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.jobs");
    private static final Map<String, Long> lastProgressLog = new ConcurrentHashMap<>();
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration FAST_LOCK_TIMEOUT = Duration.ofMillis(50);

    private final DataSource dataSource;
    private final JobSettings settings;
    private final JobListener listener;
    private final List<BackfillThrottle> throttles;
    private final BooleanSupplier stopping;

    SliceWorker(DataSource dataSource, JobSettings settings, JobListener listener, List<BackfillThrottle> throttles,
            BooleanSupplier stopping) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.listener = listener;
        this.throttles = throttles;
        this.stopping = stopping;
    }

    /** Outcome of one batch. */
    enum Step {
        PROGRESS, DONE, LOST, STOPPED, LOCKED, TIMED_OUT
    }

    void run(Connection connection, SliceLease lease) throws SQLException, InterruptedException {
        JobRow job = JobRow.find(connection, lease.job());
        if (job == null) {
            return;
        }
        if (job.kind() == JobKind.BACKFILL) {
            backfill(connection, lease, job);
        } else {
            statementJob(connection, lease, job);
        }
    }

    private void backfill(Connection connection, SliceLease lease, JobRow job) throws SQLException, InterruptedException {
        BackfillTarget target;
        try {
            target = BackfillTarget.resolve(connection, job);
        } catch (BadJobException bad) {
            JobPlanner.fail(connection, job.name(), bad.getMessage());
            return;
        }
        int size = lease.batchSize() != null ? lease.batchSize() : job.batchSize() != null ? job.batchSize() : settings.batchSize();
        int lockRetries = 0;
        while (!stopping.getAsBoolean()) {
            throttle(connection, job.name());
            long start = System.nanoTime();
            BatchResult result = batch(connection, lease, target, size);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            switch (result.step()) {
                case DONE, LOST, STOPPED -> {
                    return;
                }
                case LOCKED -> {
                    lockRetries++;
                    listener.throttled(job.name(), "lock-timeout");
                    sleep(Duration.ofMillis(Math.min(10_000, 100L << Math.min(lockRetries, 7))));
                    continue;
                }
                case TIMED_OUT -> {
                    size = Math.max(JobSettings.MIN_BATCH, size / 2);
                    listener.throttled(job.name(), "statement-timeout");
                    continue;
                }
                default -> lockRetries = 0;
            }
            listener.batch(job.name(), result.counted(), elapsed);
            size = adapt(size, elapsed);
            pace(job.name(), result.scanned(), elapsed);
            logProgress(job.name());
        }
        lease.release(connection);
    }

    /** @param counted rows of the copy pass, the ones progress and {@code zdm.backfill.rows} count */
    record BatchResult(Step step, long scanned, long counted) {

        BatchResult(Step step, long scanned) {
            this(step, scanned, 0);
        }
    }

    BatchResult batch(Connection connection, SliceLease lease, BackfillTarget target, int size) throws SQLException {
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
            String cursor = state.cursor();
            String upper = lease.upperKey();
            long[] counts;
            String last;
            try {
                if (copy) {
                    // Write directly under a short lock timeout; only a batch that meets the application's row locks
                    // is redone with SKIP LOCKED (locking first costs a write per row, so it is not the default).
                    setTimeouts(connection, FAST_LOCK_TIMEOUT.compareTo(settings.lockTimeout()) < 0 ? FAST_LOCK_TIMEOUT
                            : settings.lockTimeout());
                    target.settings().applyLocal(connection);
                    execute(connection, "SAVEPOINT zdm_batch");
                    Object[] row;
                    try {
                        row = query(connection, target.copySql(cursor != null, upper != null, false), cursor, upper, size,
                                cursor);
                    } catch (SQLException e) {
                        if (!"55P03".equals(e.getSQLState())) {
                            throw e;
                        }
                        execute(connection, "ROLLBACK TO SAVEPOINT zdm_batch");
                        setTimeouts(connection, settings.lockTimeout());
                        row = query(connection, target.copySql(cursor != null, upper != null, true), cursor, upper, size);
                    }
                    last = (String) row[0];
                    counts = new long[] { (Long) row[1], (Long) row[2] };
                } else {
                    setTimeouts(connection, settings.lockTimeout());
                    target.settings().applyLocal(connection);
                    Object[] row = query(connection, target.verifySql(cursor != null, upper != null), cursor, upper, size * 4);
                    last = (String) row[0];
                    counts = new long[] { (Long) row[1], (Long) row[2] };
                    if (counts[1] > 0) {
                        try (PreparedStatement fix = connection.prepareStatement(target.fixSql(cursor != null))) {
                            int i = 1;
                            if (cursor != null) {
                                fix.setString(i++, cursor);
                            }
                            fix.setString(i, last);
                            fix.executeUpdate();
                        }
                    }
                }
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                    connection.rollback();
                    return rowByRow(connection, lease, target, size);
                }
                throw e;
            }
            long scanned = counts[0];
            if (scanned == 0) {
                return endPass(connection, lease, copy, size);
            }
            if (!lease.advance(connection, last, state.phase(), copy ? scanned : 0, size)) {
                connection.rollback();
                return new BatchResult(Step.LOST, 0);
            }
            connection.commit();
            return new BatchResult(Step.PROGRESS, scanned, copy ? scanned : 0);
        } catch (SQLException e) {
            connection.rollback();
            if ("55P03".equals(e.getSQLState())) {
                return new BatchResult(Step.LOCKED, 0);
            }
            if ("57014".equals(e.getSQLState())) {
                return new BatchResult(Step.TIMED_OUT, 0);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The end of the copy pass starts the verify pass; the end of the verify pass finishes the slice. */
    private BatchResult endPass(Connection connection, SliceLease lease, boolean copy, int size) throws SQLException {
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

    /** Called in the transaction that finished a slice: the last one completes (or fails) the job. */
    static void completeIfLast(Connection connection, String job) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT state FROM zdm_job WHERE name = ? FOR UPDATE")) {
            lock.setString(1, job);
            lock.executeQuery().close();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT (SELECT count(*) FROM zdm_job_slice WHERE job_name = ?"
                + " AND phase <> 'DONE'), (SELECT count(*) FROM zdm_job_reject WHERE job_name = ?), (SELECT string_agg(row_key, ', ')"
                + " FROM (SELECT row_key FROM zdm_job_reject WHERE job_name = ? ORDER BY row_key LIMIT 10) k),"
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
                    update.executeUpdate();
                }
                if (rejects == 0) {
                    log.info("zdm: job {} COMPLETED", job);
                } else {
                    log.error("zdm: job {} FAILED: {}", job, error);
                }
            }
        }
    }

    /** A batch hit a value that does not convert: write it row by row and record the rows that fail. */
    private BatchResult rowByRow(Connection connection, SliceLease lease, BackfillTarget target, int size) throws SQLException {
        SliceLease.SliceState state = lease.renew(connection, settings.lease());
        if (state == null) {
            connection.rollback();
            return new BatchResult(Step.LOST, 0);
        }
        boolean copy = state.phase().equals("COPY");
        String cursor = state.cursor();
        setTimeouts(connection);
        target.settings().applyLocal(connection);
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
        try (PreparedStatement row = connection.prepareStatement(target.rowSql());
                PreparedStatement reject = connection.prepareStatement("INSERT INTO zdm_job_reject (job_name, row_key, error)"
                        + " VALUES (?, ?, ?) ON CONFLICT (job_name, row_key) DO UPDATE SET error = excluded.error");
                Statement savepoints = connection.createStatement()) {
            for (String key : keys) {
                savepoints.execute("SAVEPOINT zdm_row");
                try {
                    row.setString(1, key);
                    row.executeUpdate();
                    savepoints.execute("RELEASE SAVEPOINT zdm_row");
                } catch (SQLException e) {
                    savepoints.execute("ROLLBACK TO SAVEPOINT zdm_row");
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
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
            return endPass(connection, lease, copy, size);
        }
        if (!lease.advance(connection, keys.get(keys.size() - 1), state.phase(), copy ? keys.size() : 0, size)) {
            connection.rollback();
            return new BatchResult(Step.LOST, 0);
        }
        connection.commit();
        return new BatchResult(Step.PROGRESS, keys.size(), copy ? keys.size() : 0);
    }

    /** INDEX, VALIDATE and ANALYZE: one statement, with the lease kept alive from a second connection meanwhile. */
    private void statementJob(Connection connection, SliceLease lease, JobRow job) throws SQLException, InterruptedException {
        LeaseKeeper keeper = new LeaseKeeper(dataSource, lease, settings.lease());
        try {
            switch (job.kind()) {
                case INDEX -> new ConcurrentIndexBuild(job.targetColumn(), job.statement(), "job " + job.name()).run(connection);
                case VALIDATE -> validate(connection, job);
                case ANALYZE -> execute(connection, "ANALYZE " + TableName.quote(job.table()));
                default -> throw new IllegalStateException(job.kind().name());
            }
        } catch (SQLException e) {
            keeper.close();
            JobPlanner.fail(connection, job.name(), job.kind() + " failed: " + e.getMessage());
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
            completeIfLast(connection, job.name());
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void validate(Connection connection, JobRow job) throws SQLException, InterruptedException {
        String table = TableName.quote(job.table());
        String constraint = TableName.quote(job.statement());
        if (job.using() != null && !constraintExists(connection, job.table(), job.statement())) {
            retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " " + job.using()
                    + " NOT VALID");
        }
        retryOnLockTimeout(connection, job, "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint);
    }

    private void retryOnLockTimeout(Connection connection, JobRow job, String sql) throws SQLException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                execute(connection, "SET lock_timeout = '" + settings.lockTimeout().toMillis() + "ms'");
                execute(connection, sql);
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) || stopping.getAsBoolean()) {
                    throw e;
                }
                listener.throttled(job.name(), "lock-timeout");
                sleep(Duration.ofMillis(Math.min(10_000, 100L << Math.min(attempt, 7))));
            } finally {
                try {
                    execute(connection, "RESET lock_timeout");
                } catch (SQLException ignored) {
                    // the connection is broken: the original failure says why
                }
            }
        }
    }

    private static boolean constraintExists(Connection connection, String table, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?")) {
            ps.setString(1, TableName.quote(table));
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Runs a one-row query with the cursor, upper bound and size parameters; returns the row's values. */
    private static Object[] query(Connection connection, String sql, String cursor, String upper, int size) throws SQLException {
        return query(connection, sql, cursor, upper, size, null);
    }

    /** As above; a non-null {@code cursorAgain} is bound once more after the size (when the SQL repeats the cursor). */
    private static Object[] query(Connection connection, String sql, String cursor, String upper, int size, String cursorAgain)
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
                return new Object[] { rs.getString(1), rs.getLong(2), rs.getLong(3) };
            }
        }
    }

    private void setTimeouts(Connection connection) throws SQLException {
        setTimeouts(connection, settings.lockTimeout());
    }

    private void setTimeouts(Connection connection, Duration lockTimeout) throws SQLException {
        long statementMillis = Math.max(10_000, settings.targetBatchTime().toMillis() * 50);
        // zdm.backfill = on lets the application's own triggers skip backfilled rows (see the README)
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true),"
                + " set_config('statement_timeout', ?, true), set_config('zdm.backfill', 'on', true)")) {
            ps.setString(1, lockTimeout.toMillis() + "ms");
            ps.setString(2, statementMillis + "ms");
            ps.executeQuery().close();
        }
    }

    private int adapt(int size, Duration elapsed) {
        double target = settings.targetBatchTime().toNanos();
        double ratio = target / Math.max(1, elapsed.toNanos());
        double next = size * Math.max(0.5, Math.min(2.0, ratio));
        return (int) Math.max(JobSettings.MIN_BATCH, Math.min(JobSettings.MAX_BATCH, next));
    }

    /** Pause between batches, the rows-per-second bound, replication lag and the users' own throttles. */
    private void throttle(Connection connection, String job) throws SQLException, InterruptedException {
        for (int waits = 0; !stopping.getAsBoolean(); waits++) {
            Duration lag = settings.maxReplicationLag().toDays() >= 1 ? null : ReplicationLag.read(connection);
            if (lag != null && lag.compareTo(settings.maxReplicationLag()) > 0) {
                listener.throttled(job, "replication-lag");
                if (waits % 10 == 0) {
                    log.info("zdm: job {} waits: replication lag {} ms exceeds {}", job, lag.toMillis(), settings.maxReplicationLag());
                }
                sleep(Duration.ofSeconds(1));
                continue;
            }
            BackfillThrottle.Pause longest = null;
            if (!throttles.isEmpty()) {
                JobView view = new Jobs(dataSource).get(job).orElse(null);
                for (BackfillThrottle throttle : throttles) {
                    BackfillThrottle.Pause pause = view == null ? null : throttle.pauseBefore(view).orElse(null);
                    if (pause != null && (longest == null || pause.duration().compareTo(longest.duration()) > 0)) {
                        longest = pause;
                    }
                }
            }
            if (longest == null) {
                return;
            }
            listener.throttled(job, longest.reason());
            sleep(longest.duration());
            return;
        }
    }

    private void pace(String job, long rows, Duration elapsed) throws InterruptedException {
        Duration pause = settings.pauseBetweenBatches();
        if (settings.maxRowsPerSecond() > 0) {
            long minimumNanos = rows * settings.parallelism() * 1_000_000_000L / settings.maxRowsPerSecond();
            long missing = minimumNanos - elapsed.toNanos();
            if (missing > pause.toNanos()) {
                listener.throttled(job, "max-rows-per-second");
                pause = Duration.ofNanos(missing);
            }
        }
        if (!pause.isZero()) {
            sleep(pause);
        }
    }

    private void logProgress(String job) {
        long now = System.nanoTime();
        Long last = lastProgressLog.get(job);
        if (last == null || now - last > PROGRESS_EVERY.toNanos()) {
            lastProgressLog.put(job, now);
            new Jobs(dataSource).get(job).ifPresent(view -> log.info("zdm: {}", view.progressLine()));
        }
    }

    private void sleep(Duration duration) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (!stopping.getAsBoolean()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left / 1_000_000 + 1, 200));
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
