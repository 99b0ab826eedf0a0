package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the current role may cancel an autovacuum worker with {@code pg_cancel_backend}: a superuser may;
 * on PostgreSQL 18 so may a role with the privileges of {@code pg_signal_autovacuum_worker}. On 14–17 only a
 * superuser may since the November 2023 minor releases (CVE-2023-5870 took it from {@code pg_signal_backend}).
 *
 * @param role the current role
 * @param superuser whether it is a superuser
 * @param serverVersion {@code server_version_num}
 * @param signalAutovacuumWorker whether it has the privileges of {@code pg_signal_autovacuum_worker}
 */
record SignalRights(String role, boolean superuser, int serverVersion, boolean signalAutovacuumWorker) {

    private static final String QUERY = "SELECT current_user::text, r.rolsuper, current_setting('server_version_num')::int,"
            + " coalesce(pg_has_role(current_user, to_regrole('pg_signal_autovacuum_worker'), 'USAGE'), false)"
            + " FROM pg_roles r WHERE r.rolname = current_user";

    static SignalRights of(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(QUERY)) {
            rs.next();
            return new SignalRights(rs.getString(1), rs.getBoolean(2), rs.getInt(3), rs.getBoolean(4));
        }
    }

    boolean mayCancelAutovacuum() {
        return superuser || serverVersion >= 180000 && signalAutovacuumWorker;
    }

    /** What the role lacks, in words, with the grant that would give it. */
    String whatItTakes() {
        return serverVersion >= 180000
                ? "that takes a superuser or the privileges of pg_signal_autovacuum_worker: GRANT pg_signal_autovacuum_worker TO "
                        + role
                : "on PostgreSQL " + serverVersion / 10000 + " that takes a superuser (PostgreSQL 18 adds the role"
                        + " pg_signal_autovacuum_worker for it)";
    }
}
