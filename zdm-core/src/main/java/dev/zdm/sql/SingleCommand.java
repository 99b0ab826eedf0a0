package dev.zdm.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;
import org.postgresql.jdbc.PreferQueryMode;

/**
 * Sends a check that holds spliced text to PostgreSQL as exactly one command, so the text can never run a second one.
 *
 * <ol>
 *   <li>pgjdbc splits SQL on top-level {@code ;} itself (for {@code Statement.execute} and prepared statements alike)
 *       and sends each part as its own Parse message, which PostgreSQL accepts. So first ask pgjdbc's own parser, with
 *       the session's {@code standard_conforming_strings}, how many statements it would send: more than one is refused
 *       here, before anything is sent.</li>
 *   <li>Then one Parse message goes to the server (the default {@code preferQueryMode=extended}); PostgreSQL refuses a
 *       Parse that holds two commands ("cannot insert multiple commands into a prepared statement"), so text that the
 *       driver and the server read differently is refused too.</li>
 *   <li>{@link #describe} stops at Parse and Describe: the statement is analysed (names, types, a data-modifying
 *       {@code WITH} where PostgreSQL allows none) but never planned or executed.</li>
 *   <li>In a transaction, a savepoint keeps a failed check from aborting it.</li>
 * </ol>
 * Under {@code preferQueryMode=simple} there is no Parse message; the driver-side count and zdm's lexical checks are
 * then the only guard.
 */
public final class SingleCommand {

    private SingleCommand() {
    }

    /** Parses and describes {@code sql} (never executed); throws PostgreSQL's error when it is not valid. */
    public static void describe(Connection connection, String sql) throws SQLException {
        String escaped = escapeQuestionMarks(sql);
        requireOne(connection, escaped, true);
        guarded(connection, () -> {
            if (simpleMode(connection)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("EXPLAIN " + sql);
                }
                return;
            }
            try (PreparedStatement ps = connection.prepareStatement(escaped)) {
                ps.getMetaData();
            }
        });
    }

    /** Executes {@code sql} as one statement (a check on a throw-away object, in a transaction the caller rolls back). */
    public static void execute(Connection connection, String sql) throws SQLException {
        requireOne(connection, sql, false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Refuses {@code sql} unless pgjdbc would send it as one statement. */
    static void requireOne(Connection connection, String sql, boolean withParameters) throws SQLException {
        List<?> queries = Parser.parseJdbcSql(sql, standardConformingStrings(connection), withParameters, true, false, false);
        if (queries.size() != 1) {
            throw new SQLException("zdm: the check would send " + queries.size() + " statements, not one: " + sql, "42601");
        }
    }

    private static void guarded(Connection connection, SqlAction action) throws SQLException {
        boolean transaction = !connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            if (transaction) {
                statement.execute("SAVEPOINT zdm_fragment_check");
            }
            try {
                action.run();
            } catch (SQLException e) {
                if (transaction) {
                    statement.execute("ROLLBACK TO SAVEPOINT zdm_fragment_check");
                    statement.execute("RELEASE SAVEPOINT zdm_fragment_check");
                }
                throw e;
            }
            if (transaction) {
                statement.execute("RELEASE SAVEPOINT zdm_fragment_check");
            }
        }
    }

    /** {@code ?} outside strings and quoted names as pgjdbc's escape {@code ??}, so operators such as jsonb's stay operators. */
    private static String escapeQuestionMarks(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 4);
        int from = 0;
        for (Token token : SqlLexer.tokenize(sql)) {
            if (token.isSymbol("?")) {
                out.append(sql, from, token.end()).append('?');
                from = token.end();
            }
        }
        return out.append(sql.substring(from)).toString();
    }

    private static boolean standardConformingStrings(Connection connection) throws SQLException {
        if (connection.isWrapperFor(BaseConnection.class)) {
            return connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('standard_conforming_strings') = 'on'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean simpleMode(Connection connection) throws SQLException {
        return connection.isWrapperFor(BaseConnection.class)
                && connection.unwrap(BaseConnection.class).getPreferQueryMode() == PreferQueryMode.SIMPLE;
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
