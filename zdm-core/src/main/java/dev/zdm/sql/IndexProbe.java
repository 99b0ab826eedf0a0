package dev.zdm.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks PostgreSQL whether an index's columns, method and predicate are valid, before the real
 * {@code CREATE INDEX CONCURRENTLY}: by building the same index on an empty temporary copy of the table's columns, in a
 * transaction (or savepoint) that is rolled back. PostgreSQL then checks what only it knows: operator classes, that
 * the method supports the columns, that every function is immutable and that there is no subquery. The application's
 * table is only read ({@code LIKE} takes an ACCESS SHARE lock for a moment); nothing outlives the check.
 *
 * <ol>
 *   <li>Run the lexical checks ({@link SqlFragments}) of columns, method and predicate; nothing unchecked is sent.</li>
 *   <li>{@code CREATE TEMP TABLE zdm_index_probe (LIKE table)}; where that is not allowed (no TEMP privilege), give
 *       the server's word up and keep the lexical one.</li>
 *   <li>The index without its predicate: a failure is the columns' (or the method's).</li>
 *   <li>The index with its predicate: a failure now is the predicate's.</li>
 *   <li>Roll back.</li>
 * </ol>
 */
public final class IndexProbe {

    private static final Logger log = LoggerFactory.getLogger(IndexProbe.class);

    private IndexProbe() {
    }

    /**
     * The problem with the index, empty when PostgreSQL would build it.
     *
     * @param tableSql the table as zdm writes it (quoted)
     */
    public static Optional<FragmentProblem> problem(Connection connection, String tableSql, String columns, String method,
            String where) throws SQLException {
        Optional<FragmentProblem> lexical = SqlFragments.check("columns", columns, Fragment.INDEX_COLUMNS)
                .or(() -> SqlFragments.check("method", method, Fragment.INDEX_METHOD))
                .or(() -> SqlFragments.check("where", where, Fragment.INDEX_PREDICATE));
        if (lexical.isPresent()) {
            return lexical;
        }
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try (Statement statement = connection.createStatement()) {
            if (!autoCommit) {
                statement.execute("SAVEPOINT zdm_index_probe");
            }
            try {
                return probe(connection, tableSql, columns, method, where);
            } finally {
                statement.execute(autoCommit ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT zdm_index_probe");
                if (!autoCommit) {
                    statement.execute("RELEASE SAVEPOINT zdm_index_probe");
                }
            }
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        }
    }

    private static Optional<FragmentProblem> probe(Connection connection, String tableSql, String columns, String method,
            String where) throws SQLException {
        try {
            SingleCommand.execute(connection, "CREATE TEMP TABLE zdm_index_probe (LIKE " + tableSql + ")");
        } catch (SQLException e) {
            log.debug("zdm: cannot check the index on a temporary table ({}); the lexical check stands", e.getMessage());
            return Optional.empty();
        }
        String index = "CREATE INDEX ON pg_temp.zdm_index_probe" + (method == null ? "" : " USING " + method) + " (" + columns
                + ")";
        try {
            SingleCommand.execute(connection, index);
        } catch (SQLException e) {
            return ServerFragments.problem("columns", columns, Fragment.INDEX_COLUMNS, "PostgreSQL refuses them"
                    + (method == null ? "" : " for method " + method) + " (" + ServerFragments.firstLine(e) + ")");
        }
        if (where == null) {
            return Optional.empty();
        }
        try {
            SingleCommand.execute(connection, index + " WHERE (" + where + ")");
        } catch (SQLException e) {
            return ServerFragments.problem("where", where, Fragment.INDEX_PREDICATE, "PostgreSQL refuses it ("
                    + ServerFragments.firstLine(e) + ")");
        }
        return Optional.empty();
    }
}
