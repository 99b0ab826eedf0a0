package dev.zdm.liquibase.change;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentProblem;
import dev.zdm.sql.IndexProbe;
import dev.zdm.sql.ServerFragments;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The catalog questions zdm's changes ask before they run their first statement. Each failed check throws
 * a {@link ZdmChangeException} naming the change and the attribute at fault, so nothing is half-applied.
 */
final class Catalog {

    private final Connection connection;
    private final String where;

    /** @param where the change, for messages, e.g. {@code changeset db/x.xml::1::me, addShadowColumn} */
    Catalog(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    void requireTable(String attribute, String table) throws SQLException {
        if (relkind(table) == null) {
            throw fail(attribute, "table " + table + " does not exist");
        }
    }

    /** {@code r} table, {@code p} partitioned table, ... or {@code null} when there is none. */
    String relkind(String table) throws SQLException {
        return string("SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)", TableName.quote(table));
    }

    /** The column's type as {@code format_type} prints it, or {@code null} when there is no such column. */
    String columnType(String table, String column) throws SQLException {
        return string("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attname = ? AND attnum > 0 AND NOT attisdropped", TableName.quote(table), column);
    }

    boolean columnNotNull(String table, String column) throws SQLException {
        return "true".equals(string("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attname = ? AND attnum > 0 AND NOT attisdropped", TableName.quote(table), column));
    }

    String requireColumn(String attribute, String table, String column) throws SQLException {
        String type = columnType(table, column);
        if (type == null) {
            throw fail(attribute, "table " + table + " has no column " + column);
        }
        return type;
    }

    /** Checks that {@code type} is one type name PostgreSQL knows (lexically, then by the server). */
    void requireType(String table, String attribute, String type) throws SQLException {
        require(table, ServerFragments.type(connection, attribute, type));
    }

    /** Checks that {@code expression} is one expression over the table's rows that converts to {@code type}, without running it. */
    void requireExpression(String attribute, String table, String expression, String type) throws SQLException {
        require(table, ServerFragments.expression(connection, attribute, expression, TableName.quote(table), type));
    }

    /**
     * Checks an expression over the table's rows and a {@code shadow} column of {@code shadowType} that may not exist
     * yet (it is added by the change itself), converting to {@code type}.
     */
    void requireExpressionOverShadow(String attribute, String table, String expression, String shadow, String shadowType,
            String type) throws SQLException {
        if (expression == null) {
            return;
        }
        String from = columnType(table, shadow) != null ? TableName.quote(table) : TableName.quote(table)
                + " CROSS JOIN (SELECT CAST(NULL AS " + shadowType + ") AS " + TableName.quote(shadow) + ") zdm_shadow";
        require(table, ServerFragments.expression(connection, attribute, expression, from, type));
    }

    /** Checks that {@code predicate} is one boolean expression over the table's rows, without running it. */
    void requirePredicate(String attribute, String table, String predicate) throws SQLException {
        require(table, ServerFragments.predicate(connection, attribute, predicate, TableName.quote(table), Fragment.PREDICATE));
    }

    /** Checks an index's columns, method and predicate as PostgreSQL would build them ({@link IndexProbe}). */
    void requireIndex(String table, String columns, String method, String where) throws SQLException {
        require(table, ServerFragments.indexMethod(connection, "method", method));
        require(table, IndexProbe.problem(connection, TableName.quote(table), columns, method, where));
    }

    boolean constraintExists(String table, String name) throws SQLException {
        return string("SELECT 1::text FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?",
                TableName.quote(table), name) != null;
    }

    /** How many columns the table's primary key has (0 without one). */
    int primaryKeyColumns(String table) throws SQLException {
        String count = string("SELECT count(*)::text FROM pg_index i, unnest(i.indkey) k WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisprimary", TableName.quote(table));
        return count == null ? 0 : Integer.parseInt(count);
    }

    ZdmChangeException fail(String attribute, String problem) {
        return new ZdmChangeException("zdm: " + where + ": " + attribute + ": " + problem
                + ". Nothing of this change was run; correct the changeset and run the migration again.");
    }

    /** Throws the problem, naming the change, the table and the attribute. */
    private void require(String table, Optional<FragmentProblem> problem) {
        if (problem.isPresent()) {
            throw new ZdmChangeException("zdm: " + where + ": " + problem.get().describe(table)
                    + ". Nothing of this change was run; correct the changeset and run the migration again.");
        }
    }

    private String string(String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
