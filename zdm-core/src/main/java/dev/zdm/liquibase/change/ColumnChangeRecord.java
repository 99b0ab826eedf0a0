package dev.zdm.liquibase.change;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** A column type change as {@link ExpandColumnTypeChange} recorded it in {@code zdm_column_change}. */
record ColumnChangeRecord(String table, String column, String shadow, String oldType, String newType, String using,
        String revertUsing, List<String> jobs, List<String> views, String stage) {

    static ColumnChangeRecord find(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, ExpandColumnTypeChange.METADATA_TABLE);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT shadow_column, old_type, new_type, using_expr,"
                + " revert_using, jobs, views, stage FROM " + ExpandColumnTypeChange.METADATA_TABLE
                + " WHERE table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new ColumnChangeRecord(table, column, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), list(rs.getArray(6)), list(rs.getArray(7)), rs.getString(8));
            }
        }
    }

    void stage(Connection connection, String stage) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ExpandColumnTypeChange.METADATA_TABLE
                + " SET stage = ?, updated_at = now() WHERE table_name = ? AND column_name = ?")) {
            ps.setString(1, stage);
            ps.setString(2, table);
            ps.setString(3, column);
            ps.executeUpdate();
        }
    }

    String oldColumn() {
        return ZdmNames.of(column + dev.zdm.ZdmDefaults.OLD_SUFFIX);
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
