package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A job's definition as stored. */
record JobRow(String name, JobKind kind, String table, String targetColumn, String using, String where, Integer batchSize,
        String statement, PinnedSettings settings) {

    private static final String COLUMNS = "name, kind, table_name, target_column, using_expr, where_expr, batch_size, statement,"
            + " settings";

    static JobRow lockUnplanned(Connection connection, String name) throws SQLException {
        return read(connection, "SELECT " + COLUMNS + " FROM zdm_job WHERE name = ? AND NOT planned"
                + " AND state IN ('PENDING', 'RUNNING') FOR UPDATE SKIP LOCKED", name);
    }

    static JobRow find(Connection connection, String name) throws SQLException {
        return read(connection, "SELECT " + COLUMNS + " FROM zdm_job WHERE name = ?", name);
    }

    private static JobRow read(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new JobRow(rs.getString(1), JobKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), (Integer) rs.getObject(7), rs.getString(8),
                        PinnedSettings.fromArray(rs.getArray(9)));
            }
        }
    }
}
