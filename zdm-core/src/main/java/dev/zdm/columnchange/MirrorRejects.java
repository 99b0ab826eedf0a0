package dev.zdm.columnchange;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose value the mirror trigger could not convert, recorded by key in {@code zdm_mirror_reject}. A recorded row
 * blocks the cutover only while it still exists and still does not convert: each is checked again on the live table
 * (one key lookup each), and resolved records are removed, so nobody has to clear a counter by hand.
 */
public final class MirrorRejects {

    public static final int LIMIT = 1000;

    private MirrorRejects() {
    }

    /**
     * Descriptions ({@code key = value: error}) of recorded rows of the change that still do not convert. Each recorded
     * row is written once more with the assigned value (assignment semantics, exactly as the backfill and a plain ALTER
     * convert; an explicit cast would cut a value too long): where that succeeds the row is right and its record goes,
     * where it raises a data exception the row still does not convert. Works in autocommit (before the cutover's lock,
     * each row in its own short transaction) and inside the cutover's transaction (each row in a savepoint).
     */
    public static List<String> unresolved(Connection connection, ColumnChangeRecord change) throws SQLException {
        List<String> still = new ArrayList<>();
        if (Sql.row(connection, "SELECT to_regclass('" + MirrorSql.REJECTS_TABLE + "')::text")[0] == null) {
            return still;
        }
        String t = TableName.quote(change.table());
        String keyType = change.keyColumn() == null ? null : Mirrors.columnType(connection, change.table(), change.keyColumn());
        for (String[] reject : Sql.rows(connection, "SELECT row_key, value, error FROM " + MirrorSql.REJECTS_TABLE
                + " WHERE table_name = ? AND target_column = ? ORDER BY updated_at LIMIT " + LIMIT, change.table(), change.shadow())) {
            String problem = keyType == null || reject[0].isEmpty() ? reject[2]
                    : rewrite(connection, "UPDATE " + t + " SET " + TableName.quote(change.shadow()) + " = (" + change.using()
                            + ") WHERE " + TableName.quote(change.keyColumn()) + " = CAST(? AS " + keyType + ")", reject[0]);
            if (problem == null) {
                Sql.rows(connection, "DELETE FROM " + MirrorSql.REJECTS_TABLE + " WHERE table_name = ? AND target_column = ?"
                        + " AND row_key = ? RETURNING 1", change.table(), change.shadow(), reject[0]);
            } else {
                still.add((change.keyColumn() == null ? "" : change.keyColumn() + " = " + reject[0] + ", ") + "value '" + reject[1]
                        + "': " + problem);
            }
        }
        return still;
    }

    /** Runs the one-row write; {@code null} when it worked, else why not (the row still does not convert, or is locked). */
    private static String rewrite(Connection connection, String sql, String key) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try (Statement statement = connection.createStatement(); PreparedStatement ps = connection.prepareStatement(sql)) {
            statement.execute(autoCommit ? "SET LOCAL lock_timeout = '200ms'" : "SAVEPOINT zdm_reject");
            ps.setString(1, key);
            try {
                ps.executeUpdate();
                if (autoCommit) {
                    connection.commit();
                } else {
                    statement.execute("RELEASE SAVEPOINT zdm_reject");
                }
                return null;
            } catch (SQLException e) {
                if (autoCommit) {
                    connection.rollback();
                } else {
                    statement.execute("ROLLBACK TO SAVEPOINT zdm_reject");
                }
                String state = String.valueOf(e.getSQLState());
                if (state.startsWith("22")) {
                    return firstLine(e.getMessage());
                }
                if (state.equals("55P03")) {
                    return "the row is locked by another transaction; run the cutover again";
                }
                throw e;
            }
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).replaceFirst("^ERROR: ", "");
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
