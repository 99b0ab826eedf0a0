package dev.zdm.liquibase.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of rolling back a change that registers background jobs: its jobs that have not finished are
 * cancelled, so that none of them does its work on the schema the rollback leaves (a NOT NULL set, an index built, a
 * constraint attached after the change was rolled back). A job a runner is working right now is not taken from under
 * it: the rollback refuses, names the job and says how to stop it, and nothing changes.
 */
final class CancelUnfinishedJobs implements Step {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.liquibase");

    private final String where;
    private final List<String> jobs;

    CancelUnfinishedJobs(String where, List<String> jobs) {
        this.where = where;
        this.jobs = List.copyOf(jobs);
    }

    @Override
    public String offlineSql() {
        return "-- zdm: cancels this change's background jobs that have not finished (" + String.join(", ", jobs)
                + "); a rollback refuses while a runner works one of them\nUPDATE zdm_job SET state = 'CANCELLED',"
                + " updated_at = now() WHERE name IN (" + String.join(", ", jobs.stream().map(CancelUnfinishedJobs::literal)
                        .toList()) + ") AND state IN ('PENDING', 'PAUSED', 'FAILED')";
    }

    @Override
    public void execute(Connection connection) throws SQLException {
        if (dev.zdm.columnchange.Sql.row(connection, "SELECT to_regclass('zdm_job')::text")[0] == null) {
            return; // no job was ever registered here
        }
        List<String> cancelled = new ArrayList<>();
        // The check and the cancel in one transaction, so no runner starts a job between them: the changeset's own
        // transaction where it has one, else one of ours.
        boolean own = connection.getAutoCommit();
        if (own) {
            connection.setAutoCommit(false);
        }
        try {
            try (PreparedStatement ps = connection.prepareStatement("SELECT j.name, j.state, (SELECT s.owner FROM zdm_job_slice s"
                    + " WHERE s.job_name = j.name AND s.owner IS NOT NULL AND s.lease_until > now() LIMIT 1)"
                    + " FROM zdm_job j WHERE j.name = ANY (?) ORDER BY j.name FOR UPDATE OF j")) {
                ps.setArray(1, connection.createArrayOf("text", jobs.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String job = rs.getString(1);
                        String state = rs.getString(2);
                        String owner = rs.getString(3);
                        if ("RUNNING".equals(state) || owner != null) {
                            throw new ZdmChangeException("zdm: " + where + ": cannot roll back while background job " + job
                                    + " is running (" + state + (owner == null ? "" : ", worked by " + owner) + "): it would go"
                                    + " on working on what the rollback removes. Cancel it first (zdm-cli jobs cancel " + job
                                    + " --url JDBC, or POST /actuator/backfills/" + job + " {\"action\":\"cancel\"}), wait until"
                                    + " its runner has let it go (zdm-cli jobs show " + job + "), then roll back again. Nothing"
                                    + " was changed.");
                        }
                        if (state.equals("PENDING") || state.equals("PAUSED") || state.equals("FAILED")) {
                            cancelled.add(job);
                        }
                    }
                }
            }
            try (PreparedStatement ps = connection.prepareStatement("UPDATE zdm_job SET state = 'CANCELLED', last_error ="
                    + " ?, updated_at = now() WHERE name = ANY (?)")) {
                ps.setString(1, "cancelled by the rollback of " + where);
                ps.setArray(2, connection.createArrayOf("text", cancelled.toArray()));
                ps.executeUpdate();
            }
            if (own) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (own) {
                connection.rollback();
            }
            throw e;
        } finally {
            if (own) {
                connection.setAutoCommit(true);
            }
        }
        if (!cancelled.isEmpty()) {
            log.info("zdm: {}: rolling back; cancelled its unfinished background job(s) {}", where, String.join(", ", cancelled));
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return "cancel unfinished jobs " + jobs;
    }
}
