package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The largest replay lag of the primary's replicas, when this user may read it. */
final class ReplicationLag {

    private static final Logger log = LoggerFactory.getLogger(ReplicationLag.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private ReplicationLag() {
    }

    /** The lag, or {@code null} when it cannot be read (then it is said once in the log). */
    static Duration read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT pg_has_role(current_user, 'pg_monitor', 'USAGE') OR (SELECT rolsuper FROM pg_roles"
                        + " WHERE rolname = current_user),"
                        + " coalesce((SELECT max(extract(epoch FROM replay_lag)) FROM pg_stat_replication), 0)")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                if (warned.compareAndSet(false, true)) {
                    log.warn("zdm: this database user may not read replication lag (grant it pg_monitor);"
                            + " zdm.backfill.max-replication-lag is not enforced");
                }
                return null;
            }
            return Duration.ofMillis((long) (rs.getDouble(2) * 1000));
        }
    }
}
