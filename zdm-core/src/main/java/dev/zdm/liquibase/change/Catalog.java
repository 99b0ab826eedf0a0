package dev.zdm.liquibase.change;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** Checks that {@code type} names a type, by letting PostgreSQL parse {@code NULL::type}. */
    void requireType(String attribute, String type) throws SQLException {
        explain(attribute, "SELECT NULL::" + type, "'" + type + "' is not a type PostgreSQL knows");
    }

    /** Checks that {@code expression} is valid over the table's rows and converts to {@code type}, without running it. */
    void requireExpression(String attribute, String table, String expression, String type) throws SQLException {
        explain(attribute, "SELECT CAST((" + expression + ") AS " + type + ") FROM " + TableName.quote(table),
                "'" + expression + "' is not a valid expression of type " + type + " over " + table);
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

    private void explain(String attribute, String sql, String problem) throws SQLException {
        // A savepoint keeps a failed EXPLAIN from aborting the changeset's transaction.
        boolean transaction = !connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            if (transaction) {
                statement.execute("SAVEPOINT zdm_check");
            }
            try {
                statement.execute("EXPLAIN " + sql);
            } catch (SQLException e) {
                if (transaction) {
                    statement.execute("ROLLBACK TO SAVEPOINT zdm_check");
                }
                throw new ZdmChangeException(fail(attribute, problem).getMessage().replace(". Nothing", " (" + firstLine(e) + "). Nothing"), e);
            }
            if (transaction) {
                statement.execute("RELEASE SAVEPOINT zdm_check");
            }
        }
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
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
