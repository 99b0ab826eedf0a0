package dev.zdm.jobs;

import dev.zdm.sql.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a registered job into slices once its dependencies are COMPLETED.
 *
 * <ol>
 *   <li>Lock the job row ({@code FOR UPDATE SKIP LOCKED}: one runner plans, the others move on).</li>
 *   <li>For a backfill, check the definition against the catalog: one-column primary key, target column,
 *       a {@code using} that type-checks ({@code EXPLAIN}). A bad definition fails the job with a clear
 *       {@code lastError}; nothing else changes and other jobs go on.</li>
 *   <li>Split the key range into {@code parallelism} slices at sampled quantiles of the key (any ordered key
 *       type; skewed keys still split evenly).</li>
 * </ol>
 */
final class JobPlanner {

    private static final Logger log = LoggerFactory.getLogger(JobPlanner.class);

    private JobPlanner() {
    }

    /** Plans every job that is ready; returns how many were planned. */
    static int planReady(Connection connection, int parallelism) throws SQLException {
        // A planned job is RUNNING; an older zdm's resume left such jobs PENDING, where nothing completed them.
        try (Statement heal = connection.createStatement()) {
            heal.executeUpdate("UPDATE zdm_job SET state = 'RUNNING', updated_at = now() WHERE planned AND state = 'PENDING'");
        }
        SliceCompletion.finishDone(connection);
        List<String> ready = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT j.name FROM zdm_job j WHERE NOT j.planned AND j.state IN ('PENDING', 'RUNNING') AND NOT EXISTS"
                        + " (SELECT 1 FROM unnest(j.depends_on) d LEFT JOIN zdm_job dj ON dj.name = d"
                        + " WHERE dj.state IS DISTINCT FROM 'COMPLETED') ORDER BY j.created_at")) {
            while (rs.next()) {
                ready.add(rs.getString(1));
            }
        }
        int planned = 0;
        for (String name : ready) {
            if (plan(connection, name, parallelism)) {
                planned++;
            }
        }
        return planned;
    }

    private static boolean plan(Connection connection, String name, int parallelism) throws SQLException {
        connection.setAutoCommit(false);
        try {
            JobRow job = JobRow.lockUnplanned(connection, name);
            if (job == null) {
                connection.rollback();
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM zdm_job_slice WHERE job_name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            List<String[]> ranges;
            long estimate = 0;
            try {
                if (job.kind() == JobKind.BACKFILL) {
                    BackfillTarget target = BackfillTarget.resolve(connection, job);
                    estimate = target.estimateRows(connection);
                    ranges = ranges(connection, target, parallelism, estimate);
                } else {
                    ranges = List.<String[]>of(new String[] { null, null });
                }
            } catch (BadJobException bad) {
                connection.rollback();
                fail(connection, name, bad.getMessage());
                return false;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO zdm_job_slice (job_name, slice,"
                    + " lower_key, upper_key, cursor_key, batch_size) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < ranges.size(); i++) {
                    insert.setString(1, name);
                    insert.setInt(2, i);
                    insert.setString(3, ranges.get(i)[0]);
                    insert.setString(4, ranges.get(i)[1]);
                    insert.setString(5, ranges.get(i)[0]);
                    insert.setObject(6, job.batchSize());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE zdm_job SET planned = true, state = 'RUNNING',"
                    + " started_at = coalesce(started_at, now()), rows_total_estimate = ?, updated_at = now() WHERE name = ?")) {
                update.setLong(1, estimate);
                update.setString(2, name);
                update.executeUpdate();
            }
            connection.commit();
            log.info("zdm: job {} planned in {} slice(s), about {} rows", name, ranges.size(), estimate);
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    static void fail(Connection connection, String name, String error) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE zdm_job SET state = 'FAILED', last_error = ?, updated_at = now() WHERE name = ?")) {
            ps.setString(1, error);
            ps.setString(2, name);
            ps.executeUpdate();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        log.error("zdm: job {} FAILED: {}", name, error);
    }

    /** Slice bounds {lower exclusive, upper inclusive} as text; {@code null} is open. */
    private static List<String[]> ranges(Connection connection, BackfillTarget target, int parallelism, long estimate)
            throws SQLException {
        // The range ends at today's largest key: rows inserted from now on are written by the mirror trigger (which
        // the expand stage installs before it registers the backfill), so the copy pass never chases new rows.
        String max;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT "
                + TableName.quote(target.key()) + "::text AS zdm_max FROM " + TableName.sqlOf(target.table()) + " ORDER BY "
                + TableName.quote(target.key()) + " DESC LIMIT 1")) {
            max = rs.next() ? rs.getString(1) : null;
        }
        if (parallelism <= 1) {
            return List.<String[]>of(new String[] { null, max });
        }
        StringBuilder fractions = new StringBuilder();
        for (int i = 1; i < parallelism; i++) {
            fractions.append(i == 1 ? "" : ",").append((double) i / parallelism);
        }
        String sample = estimate > 1_000_000 ? " TABLESAMPLE SYSTEM (1)" : "";
        String sql = "SELECT (percentile_disc(ARRAY[" + fractions + "]) WITHIN GROUP (ORDER BY " + TableName.quote(target.key())
                + "))::text[] FROM " + TableName.sqlOf(target.table()) + sample;
        LinkedHashSet<String> bounds = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            if (rs.next()) {
                Array array = rs.getArray(1);
                if (array != null) {
                    for (String bound : (String[]) array.getArray()) {
                        if (bound != null && !bound.equals(max)) {
                            bounds.add(bound);
                        }
                    }
                }
            }
        }
        List<String[]> ranges = new ArrayList<>();
        String lower = null;
        for (String bound : bounds) {
            ranges.add(new String[] { lower, bound });
            lower = bound;
        }
        ranges.add(new String[] { lower, max });
        return ranges;
    }
}
