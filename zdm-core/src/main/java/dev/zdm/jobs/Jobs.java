package dev.zdm.jobs;

import dev.zdm.ZdmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The Java API of zdm's background jobs: register jobs, list them, and pause, resume, cancel or retry them.
 * Every action persists in the job table, so it holds across restarts and for every instance.
 */
public final class Jobs {

    private final DataSource dataSource;

    public Jobs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Registers (or updates) a job; an unchanged definition keeps its progress and state. */
    public void register(JobDefinition definition) {
        try (Connection connection = dataSource.getConnection()) {
            register(connection, definition);
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not register job " + definition.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers a job on the given connection (and in its transaction, as a Liquibase change does). A changed
     * definition starts the job over from PENDING.
     */
    public static void register(Connection connection, JobDefinition d) throws SQLException {
        register(connection, d, false);
    }

    /**
     * Registers a job whose work a migration asks for again: like {@link #register(Connection, JobDefinition)}, but a
     * finished job (COMPLETED, FAILED or CANCELLED) of the same definition starts over too (its index may have been
     * dropped since, or its rows fixed); a job still running keeps going. Redoing finished work is cheap: a valid index
     * or a validated constraint is found at once.
     */
    public static void registerAgain(Connection connection, JobDefinition d) throws SQLException {
        register(connection, d, true);
    }

    private static void register(Connection connection, JobDefinition d, boolean restartFinished) throws SQLException {
        JobSchema.ensure(connection);
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO zdm_job AS j (name, kind, table_name,"
                + " target_column, using_expr, where_expr, batch_size, statement, depends_on, settings)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, table_name = excluded.table_name, settings = excluded.settings,"
                + " target_column = excluded.target_column, using_expr = excluded.using_expr, where_expr = excluded.where_expr,"
                + " batch_size = excluded.batch_size, statement = excluded.statement, depends_on = excluded.depends_on,"
                + " state = 'PENDING', planned = false, last_error = NULL, started_at = NULL, updated_at = now()"
                + " WHERE (j.kind, j.table_name, j.target_column, j.using_expr, j.where_expr, j.batch_size, j.statement,"
                + " j.depends_on, j.settings) IS DISTINCT FROM (excluded.kind, excluded.table_name, excluded.target_column,"
                + " excluded.using_expr, excluded.where_expr, excluded.batch_size, excluded.statement, excluded.depends_on,"
                + " excluded.settings)" + (restartFinished ? " OR j.state IN ('COMPLETED', 'FAILED', 'CANCELLED')" : ""))) {
            // The stored row: target_column, using_expr, where_expr, batch_size, statement, settings, by kind.
            String target = null;
            String using = null;
            String where = null;
            Integer batchSize = null;
            String statement = null;
            PinnedSettings settings = PinnedSettings.NONE;
            if (d instanceof JobDefinition.Backfill b) {
                target = b.targetColumn();
                using = b.using();
                where = b.where();
                batchSize = b.batchSize();
                settings = b.settings();
            } else if (d instanceof JobDefinition.IndexBuild i) {
                target = i.indexName();
                statement = i.createSql();
            } else if (d instanceof JobDefinition.Validation v) {
                using = v.definition();
                statement = v.constraintName();
            } else if (d instanceof JobDefinition.Ddl ddl) {
                statement = String.join(JobDefinition.Ddl.SEPARATOR, ddl.statements());
            } else if (d instanceof JobDefinition.Revert revert) {
                target = revert.column();
                statement = revert.recordTable();
            }
            ps.setString(1, d.name());
            ps.setString(2, d.kind().name());
            ps.setString(3, d.table());
            ps.setString(4, target);
            ps.setString(5, using);
            ps.setString(6, where);
            ps.setObject(7, batchSize);
            ps.setString(8, statement);
            ps.setArray(9, connection.createArrayOf("text", d.dependsOn().toArray()));
            ps.setArray(10, connection.createArrayOf("text", settings.toArray()));
            ps.executeUpdate();
        }
    }

    /** Every job, oldest first. */
    public List<JobView> list() {
        return query(null);
    }

    /** One job. */
    public Optional<JobView> get(String name) {
        return query(name).stream().findFirst();
    }

    /** Stops a job after its current batch; it stays paused across restarts until resumed. */
    public JobView pause(String name) {
        return transition(name, JobAction.PAUSE, "PAUSED", "state IN ('PENDING', 'RUNNING')");
    }

    /**
     * Lets a paused job go on where it stopped: a planned job is RUNNING again (its slices keep their progress), an
     * unplanned one PENDING. A job whose last slice finished while it was paused completes (or fails) at once.
     */
    public JobView resume(String name) {
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job SET state = CASE WHEN planned"
                    + " THEN 'RUNNING' ELSE 'PENDING' END, updated_at = now() WHERE name = ? AND state = 'PAUSED' RETURNING planned")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        connection.rollback();
                        throw refusal(name, JobAction.RESUME, null);
                    }
                    if (rs.getBoolean(1)) {
                        SliceCompletion.completeIfLast(connection, name);
                    }
                }
                connection.commit();
            }
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not resume job " + name + ": " + e.getMessage(), e);
        }
        return get(name).orElseThrow();
    }

    /** Gives a job up for good (register it again to start over). */
    public JobView cancel(String name) {
        return transition(name, JobAction.CANCEL, "CANCELLED", "state NOT IN ('COMPLETED', 'CANCELLED')");
    }

    /** Runs a FAILED (or CANCELLED) job again from the start; rows already right are skipped quickly. */
    public JobView retry(String name) {
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement reset = connection.prepareStatement("UPDATE zdm_job SET state = 'PENDING', planned = false,"
                    + " last_error = NULL, started_at = NULL, updated_at = now() WHERE name = ? AND state IN ('FAILED', 'CANCELLED')");
                    PreparedStatement rejects = connection.prepareStatement("DELETE FROM zdm_job_reject WHERE job_name = ?")) {
                reset.setString(1, name);
                if (reset.executeUpdate() == 0) {
                    connection.rollback();
                    throw refusal(name, JobAction.RETRY, null);
                }
                rejects.setString(1, name);
                rejects.executeUpdate();
                connection.commit();
            }
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not retry job " + name + ": " + e.getMessage(), e);
        }
        return get(name).orElseThrow();
    }

    private JobView transition(String name, JobAction action, String to, String allowed) {
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE zdm_job SET state = ?, updated_at = now() WHERE name = ? AND " + allowed)) {
                ps.setString(1, to);
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    throw refusal(name, action, null);
                }
            }
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not change job " + name + ": " + e.getMessage(), e);
        }
        return get(name).orElseThrow();
    }

    private ZdmException refusal(String name, JobAction action, String why) {
        Optional<JobView> job = get(name);
        if (job.isEmpty()) {
            return new NoSuchJobException(name);
        }
        return new JobActionRefusedException(name, action, job.get().state(), why);
    }

    private List<JobView> query(String name) {
        try (Connection connection = dataSource.getConnection()) {
            JobSchema.ensure(connection);
            try (PreparedStatement ps = connection.prepareStatement("SELECT j.name, j.kind, j.table_name, j.state,"
                    + " coalesce((SELECT sum(s.rows_done) FROM zdm_job_slice s WHERE s.job_name = j.name), 0),"
                    + " j.rows_total_estimate, extract(epoch FROM now() - j.started_at), j.last_error,"
                    + " greatest(j.updated_at, (SELECT max(s.updated_at) FROM zdm_job_slice s WHERE s.job_name = j.name)),"
                    + " coalesce((SELECT max(s.batch_size) FROM zdm_job_slice s WHERE s.job_name = j.name), j.batch_size),"
                    + " (SELECT count(*) FROM zdm_job_reject r WHERE r.job_name = j.name),"
                    + " (SELECT array_agg(row_key) FROM (SELECT row_key FROM zdm_job_reject r WHERE r.job_name = j.name"
                    + " ORDER BY length(row_key), row_key LIMIT 10) k), j.depends_on, " + RECENT_RATE
                    + " FROM zdm_job j WHERE (?::text IS NULL OR j.name = ?) ORDER BY j.created_at, j.name")) {
                ps.setString(1, name);
                ps.setString(2, name);
                List<JobView> views = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        views.add(view(rs));
                    }
                }
                return views;
            }
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not read the job table: " + e.getMessage(), e);
        }
    }

    /**
     * The recent rate of a job, over the slices being worked now: each one's last whole window while it is fresh, else
     * its current window so far (which falls while a batch stalls); {@code NULL} when no slice is being worked.
     */
    private static final String RECENT_RATE = "(SELECT sum(CASE WHEN s.rate_at IS NULL THEN NULL"
            + " WHEN now() - s.rate_at < make_interval(secs => " + SliceLease.RATE_WINDOW_SECONDS + ") AND s.recent_rate IS NOT NULL"
            + " THEN s.recent_rate WHEN now() - s.rate_at > interval '500 milliseconds'"
            + " THEN (s.rows_done - s.rate_rows) / extract(epoch FROM now() - s.rate_at) END)"
            + " FROM zdm_job_slice s WHERE s.job_name = j.name AND s.phase <> 'DONE' AND s.owner IS NOT NULL AND s.lease_until > now())";

    private static JobView view(ResultSet rs) throws SQLException {
        JobState state = JobState.valueOf(rs.getString(4));
        JobKind kind = JobKind.valueOf(rs.getString(2));
        long done = rs.getLong(5);
        long total = Math.max(rs.getLong(6), done);
        Object recent = rs.getObject(14);
        Double rate = state == JobState.RUNNING && kind == JobKind.BACKFILL && recent != null ? ((Number) recent).doubleValue()
                : null;
        double percent = state == JobState.COMPLETED ? 100 : total == 0 ? 0 : Math.min(99.9, 100.0 * done / total);
        Duration eta = rate != null && rate > 0 && total > done ? Duration.ofSeconds((long) Math.ceil((total - done) / rate))
                : null;
        Array samples = rs.getArray(12);
        Array depends = rs.getArray(13);
        return new JobView(rs.getString(1), kind, rs.getString(3), state, done, total, percent,
                rate, eta, (Integer) rs.getObject(10), rs.getString(8), rs.getTimestamp(9).toInstant(), rs.getLong(11),
                samples == null ? List.of() : Arrays.asList((String[]) samples.getArray()),
                depends == null ? List.of() : Arrays.asList((String[]) depends.getArray()));
    }

}
