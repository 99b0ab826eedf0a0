package dev.zdm.columnchange;

import dev.zdm.ZdmException;
import dev.zdm.jobs.JobState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A column type change as an operator follows it: where it is on the way from expand to contract, and the jobs it waits
 * for. Read-only: it never creates zdm's tables (a database without them has no changes).
 *
 * @param step where the change is, judged from its record and its jobs' states
 * @param jobs the names of the jobs its expand registered, in pipeline order
 */
public record ColumnChangeOverview(String table, String column, String shadow, String from, String to, Step step,
        List<String> jobs, Instant updatedAt) {

    /** The steps of a column change, in order. */
    public enum Step {
        /** Shadow column and mirror exist; no job has started yet. */
        EXPANDED,
        /** Its jobs are running (or one failed, was paused or cancelled: the jobs say which). */
        JOBS,
        /** Every job is COMPLETED: the cutover release may be deployed. */
        READY_FOR_CUTOVER,
        /** The columns are swapped; the old one is kept for a revert until the contract. */
        CUT_OVER,
        /** The old column is dropped (or being dropped). */
        CONTRACTED
    }

    /** The most recent changes first (at most {@code limit}), given the current state of every job by name. */
    public static List<ColumnChangeOverview> list(DataSource dataSource, Map<String, JobState> jobStates, int limit) {
        try (Connection connection = dataSource.getConnection()) {
            if (!hasTable(connection)) {
                return List.of();
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT table_name, column_name, shadow_column, old_type,"
                    + " new_type, stage, jobs, updated_at FROM " + ColumnChangeRecord.TABLE
                    + " ORDER BY (stage = 'CONTRACTED'), updated_at DESC LIMIT ?")) {
                ps.setInt(1, limit);
                List<ColumnChangeOverview> changes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array array = rs.getArray(7);
                        List<String> jobs = array == null ? List.of() : Arrays.asList((String[]) array.getArray());
                        ColumnChangeRecord.Stage stage = ColumnChangeRecord.Stage.valueOf(rs.getString(6));
                        changes.add(new ColumnChangeOverview(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), step(stage, jobs, jobStates), jobs,
                                rs.getTimestamp(8).toInstant()));
                    }
                }
                return changes;
            }
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not read " + ColumnChangeRecord.TABLE + ": " + e.getMessage(), e);
        }
    }

    /** The step of a change at {@code stage} whose jobs are in {@code jobStates} (a job missing there is not done). */
    static Step step(ColumnChangeRecord.Stage stage, List<String> jobs, Map<String, JobState> jobStates) {
        return switch (stage) {
            case CONTRACTING, CONTRACTED -> Step.CONTRACTED;
            case CUTOVER -> Step.CUT_OVER;
            case EXPANDED -> {
                if (jobs.stream().allMatch(j -> jobStates.get(j) == JobState.COMPLETED)) {
                    yield Step.READY_FOR_CUTOVER;
                }
                yield jobs.stream().allMatch(j -> jobStates.get(j) == null || jobStates.get(j) == JobState.PENDING)
                        ? Step.EXPANDED : Step.JOBS;
            }
        };
    }

    private static boolean hasTable(Connection connection) throws SQLException {
        String[] row = Sql.row(connection, "SELECT (to_regclass('" + ColumnChangeRecord.TABLE + "') IS NOT NULL)::text");
        return "true".equals(row[0]);
    }
}
