package dev.zdm.columnchange;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
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

    /** Descriptions ({@code key = value: error}) of recorded rows of the change that still do not convert. */
    public static List<String> unresolved(Connection connection, ColumnChangeRecord change) throws SQLException {
        List<String> still = new ArrayList<>();
        if (Sql.row(connection, "SELECT to_regclass('" + MirrorSql.REJECTS_TABLE + "')::text")[0] == null) {
            return still;
        }
        String t = TableName.quote(change.table());
        for (String[] reject : Sql.rows(connection, "SELECT row_key, value, error FROM " + MirrorSql.REJECTS_TABLE
                + " WHERE table_name = ? AND target_column = ? ORDER BY updated_at LIMIT " + LIMIT, change.table(), change.shadow())) {
            boolean resolved;
            if (change.keyColumn() == null || reject[0].isEmpty()) {
                resolved = false;
            } else {
                String k = TableName.quote(change.keyColumn());
                try {
                    resolved = Sql.row(connection, "SELECT 1 FROM " + t + " WHERE " + k + "::text = ? AND "
                            + TableName.quote(change.shadow()) + " IS DISTINCT FROM CAST((" + change.using() + ") AS "
                            + change.newType() + ")", reject[0]) == null;
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
                        throw e;
                    }
                    resolved = false;
                }
            }
            if (resolved) {
                Sql.rows(connection, "DELETE FROM " + MirrorSql.REJECTS_TABLE + " WHERE table_name = ? AND target_column = ?"
                        + " AND row_key = ? RETURNING 1", change.table(), change.shadow(), reject[0]);
            } else {
                still.add((change.keyColumn() == null ? "" : change.keyColumn() + " = " + reject[0] + ", ") + "value '" + reject[1]
                        + "': " + reject[2]);
            }
        }
        return still;
    }
}
