package dev.zdm.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The server's word on an attribute that zdm writes into its SQL, after the lexical check of {@link SqlFragments}
 * (which each method runs first: unchecked text is never sent). Type names and index methods go to PostgreSQL as
 * bind parameters ({@code to_regtype}, {@code pg_am}); expressions and predicates in a statement that is parsed and
 * described as exactly one command, never executed ({@link SingleCommand}). Each method returns the problem, empty
 * when PostgreSQL accepts the value.
 */
public final class ServerFragments {

    private ServerFragments() {
    }

    /** Whether {@code type} is one type PostgreSQL knows, modifiers included. */
    public static Optional<FragmentProblem> type(Connection connection, String attribute, String type) throws SQLException {
        Optional<FragmentProblem> lexical = SqlFragments.check(attribute, type, Fragment.TYPE_NAME);
        if (lexical.isPresent() || type == null) {
            return lexical;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regtype(?)::text")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) == null) {
                    return problem(attribute, type, Fragment.TYPE_NAME, "PostgreSQL knows no such type");
                }
            }
        } catch (SQLException e) {
            return problem(attribute, type, Fragment.TYPE_NAME, "PostgreSQL does not read it as one type name ("
                    + firstLine(e) + ")");
        }
        return described(connection, attribute, type, Fragment.TYPE_NAME, "SELECT CAST(NULL AS " + type + ")");
    }

    /**
     * Whether {@code expression} is one scalar expression over the rows of {@code fromSql} that converts to {@code castTo}.
     *
     * @param fromSql a FROM list zdm wrote (quoted names), e.g. {@code file}
     * @param castTo a type already checked, or {@code null} to leave the expression's own type
     */
    public static Optional<FragmentProblem> expression(Connection connection, String attribute, String expression,
            String fromSql, String castTo) throws SQLException {
        Optional<FragmentProblem> lexical = SqlFragments.check(attribute, expression, Fragment.EXPRESSION);
        if (lexical.isPresent() || expression == null) {
            return lexical;
        }
        String value = castTo == null ? "(" + expression + ")" : "CAST((" + expression + ") AS " + castTo + ")";
        return described(connection, attribute, expression, Fragment.EXPRESSION, "SELECT " + value + " FROM " + fromSql);
    }

    /** Whether {@code predicate} is one boolean expression over the rows of {@code fromSql}. */
    public static Optional<FragmentProblem> predicate(Connection connection, String attribute, String predicate, String fromSql,
            Fragment kind) throws SQLException {
        Optional<FragmentProblem> lexical = SqlFragments.check(attribute, predicate, kind);
        if (lexical.isPresent() || predicate == null) {
            return lexical;
        }
        return described(connection, attribute, predicate, kind, "SELECT 1 FROM " + fromSql + " WHERE (" + predicate + ")");
    }

    /** Whether {@code method} is an index access method of this server. */
    public static Optional<FragmentProblem> indexMethod(Connection connection, String attribute, String method)
            throws SQLException {
        Optional<FragmentProblem> lexical = SqlFragments.check(attribute, method, Fragment.INDEX_METHOD);
        if (lexical.isPresent() || method == null) {
            return lexical;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT string_agg(amname, ', ' ORDER BY amname),"
                + " bool_or(amname = ?) FROM pg_am WHERE amtype = 'i'")) {
            ps.setString(1, method);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(2) ? Optional.empty() : problem(attribute, method, Fragment.INDEX_METHOD,
                        "this server has no such index method (it has " + rs.getString(1) + ")");
            }
        }
    }

    private static Optional<FragmentProblem> described(Connection connection, String attribute, String value, Fragment kind,
            String sql) throws SQLException {
        try {
            SingleCommand.describe(connection, sql);
            return Optional.empty();
        } catch (SQLException e) {
            if (!connection.isValid(2)) {
                throw e;
            }
            return problem(attribute, value, kind, "PostgreSQL refuses it (" + firstLine(e) + ")");
        }
    }

    static Optional<FragmentProblem> problem(String attribute, String value, Fragment kind, String problem) {
        return Optional.of(new FragmentProblem(attribute, value, kind, problem));
    }

    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).replaceFirst("^ERROR: ", "");
    }
}
