package dev.zdm.jobs;

import dev.zdm.ZdmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What each running job is doing now, for people watching: a backfill's phase ({@code copy} while a slice still copies,
 * then {@code verify}), an index build's phase as PostgreSQL reports it ({@code pg_stat_progress_create_index}), or a
 * validation's, analyze's or DDL job's statement. Jobs that are not RUNNING have no phase.
 */
public final class JobPhases {

    private JobPhases() {
    }

    /** The phase of every RUNNING job, by name. */
    public static Map<String, String> running(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, String> phases = new LinkedHashMap<>();
            if (!hasTable(connection)) {
                return phases;
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT j.name, j.kind,"
                    + " (SELECT CASE WHEN bool_or(s.phase = 'COPY') THEN 'copy' WHEN bool_or(s.phase = 'VERIFY') THEN 'verify'"
                    + " ELSE NULL END FROM zdm_job_slice s WHERE s.job_name = j.name),"
                    + " (SELECT lower(p.phase) || CASE WHEN p.blocks_total > 0 THEN ' ' || (100 * p.blocks_done / p.blocks_total)"
                    + " || '% of blocks' ELSE '' END FROM pg_stat_progress_create_index p"
                    + " WHERE p.relid = to_regclass(j.table_name) LIMIT 1), j.planned"
                    + " FROM zdm_job j WHERE j.state = 'RUNNING'");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    phases.put(rs.getString(1), phase(JobKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5)));
                }
            }
            return phases;
        } catch (SQLException e) {
            throw new ZdmException("zdm: could not read the job table: " + e.getMessage(), e);
        }
    }

    private static String phase(JobKind kind, String slicePhase, String indexProgress, boolean planned) {
        return switch (kind) {
            case BACKFILL -> slicePhase != null ? slicePhase : planned ? "finishing" : "planning key ranges";
            case INDEX -> "CREATE INDEX CONCURRENTLY" + (indexProgress == null ? "" : ": " + indexProgress);
            case VALIDATE -> "VALIDATE CONSTRAINT (scanning the table)";
            case ANALYZE -> "ANALYZE";
            case DDL -> "short DDL under the lock timeout";
            case REVERT -> "swapping the columns back";
        };
    }

    private static boolean hasTable(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass('zdm_job_slice') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
