package dev.zdm.columnchange;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A column default as a plain {@code ALTER ... TYPE} would convert it, asked of PostgreSQL itself: on a throw-away
 * temporary table in a transaction that is rolled back (catalog work in the session's own temporary schema, no lock on
 * any application table), so the swap gives the new column exactly the default the plain ALTER would.
 */
public final class DefaultProbe {

    private DefaultProbe() {
    }

    /**
     * {@code expression} (a default of a {@code fromType} column) converted to {@code toType}, as SQL text; {@code null}
     * where PostgreSQL refuses (no assignment cast for the default), as a plain ALTER would.
     */
    public static String convert(Connection connection, String expression, String fromType, String toType) throws SQLException {
        Connection raw = connection.isWrapperFor(org.postgresql.PGConnection.class)
                ? (Connection) connection.unwrap(org.postgresql.PGConnection.class) : connection;
        boolean autoCommit = raw.getAutoCommit();
        if (autoCommit) {
            raw.setAutoCommit(false);
        }
        try (Statement statement = raw.createStatement()) {
            if (!autoCommit) {
                statement.execute("SAVEPOINT zdm_default_probe");
            }
            try {
                statement.execute("CREATE TEMP TABLE zdm_default_probe (c " + fromType + " DEFAULT " + expression + ")");
                statement.execute("ALTER TABLE zdm_default_probe ALTER COLUMN c TYPE " + toType + " USING NULL");
                try (ResultSet rs = statement.executeQuery("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef"
                        + " WHERE adrelid = 'zdm_default_probe'::regclass")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                if ("42804".equals(e.getSQLState())) {
                    return null;
                }
                throw e;
            } finally {
                statement.execute(autoCommit ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT zdm_default_probe");
                if (!autoCommit) {
                    statement.execute("RELEASE SAVEPOINT zdm_default_probe");
                }
            }
        } finally {
            if (autoCommit) {
                raw.setAutoCommit(true);
            }
        }
    }
}
