package dev.zdm.liquibase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Spots a migration connection that goes through a pooler in transaction mode (PgBouncer {@code pool_mode=transaction},
 * RDS Proxy and the like): consecutive transactions of the one JDBC connection reach different server sessions. There,
 * zdm's session-level pieces leak to other clients or pin connections — the Liquibase lock (a session advisory lock),
 * the guard's session settings, the lease keeper's and the index build's second sessions — so zdm says so once, with the
 * fix.
 */
public final class TransactionPooling {

    private static final int PROBES = 3;

    private TransactionPooling() {
    }

    /**
     * Asks for the server session's pid in {@value #PROBES} consecutive transactions (committing anything open first); the
     * warning when they differ, empty when they are one session.
     */
    public static Optional<String> warning(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        Set<Integer> pids = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement()) {
            for (int i = 0; i < PROBES; i++) {
                if (!autoCommit) {
                    connection.commit();
                }
                try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pids.add(rs.getInt(1));
                }
            }
            if (!autoCommit) {
                connection.commit();
            }
        }
        if (pids.size() <= 1) {
            return Optional.empty();
        }
        return Optional.of("zdm: consecutive transactions of the migration connection reached " + pids.size()
                + " different PostgreSQL sessions (pids " + pids + "): it goes through a pooler in transaction mode"
                + " (PgBouncer pool_mode=transaction, RDS Proxy, ...). There zdm's Liquibase lock (a session advisory lock)"
                + " and the guard's session settings leak to other clients, and concurrent index builds may be cut off."
                + " Point the migration at the server itself (spring.liquibase.url=jdbc:postgresql://<server>:5432/<db>) or at"
                + " a session-mode pool.");
    }
}
