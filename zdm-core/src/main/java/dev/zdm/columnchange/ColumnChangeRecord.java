package dev.zdm.columnchange;

import dev.zdm.liquibase.change.ZdmNames;

import dev.zdm.jobs.PinnedSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One column type change as recorded in {@code zdm_column_change}: each expand starts its own record (a column may be
 * changed again after a contract), and at most one record per column is active (not {@link Stage#CONTRACTED}).
 *
 * @param objects every object zdm created for this change (and, after cutover, the names the old objects were given),
 *     so later stages act on the record rather than on names found by pattern
 */
public record ColumnChangeRecord(long id, String table, String column, String shadow, String oldType, String newType, String using,
        String revertUsing, String keyColumn, PinnedSettings settings, List<String> jobs, List<String> views,
        List<CreatedObject> objects, Stage stage) {

    public static final String TABLE = "zdm_column_change";

    /** Where a change is. */
    public enum Stage {
        EXPANDED, CUTOVER,
        /** The contract has begun dropping what kept the old column alive: no revert from here. */
        CONTRACTING, CONTRACTED
    }

    /** What an object is to the change. */
    public enum Kind {
        /** A copy on the shadow of an index on the column; {@code original} is the index copied. */
        INDEX_COPY,
        /** A copy on the shadow of a CHECK or foreign key of the column. */
        CONSTRAINT_COPY,
        /** A copy, on a referencing table, of a foreign key that references the column; {@code table} is that table. */
        REFERENCING_COPY,
        /** The {@code CHECK (shadow IS NOT NULL)} that makes the cutover's SET NOT NULL instant. */
        NOT_NULL_CHECK,
        /** After cutover: an index of the old column under its new name; {@code original} its name before. */
        OLD_INDEX,
        /** After cutover: a constraint of the old column under its new name. */
        OLD_CONSTRAINT
    }

    public record CreatedObject(Kind kind, String name, String original, String table) {
    }

    public ColumnChangeRecord {
        jobs = List.copyOf(jobs);
        views = List.copyOf(views);
        objects = List.copyOf(objects);
    }

    public List<CreatedObject> objects(Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    /** The column's active change (not contracted), or {@code null}. */
    public static ColumnChangeRecord findActive(Connection connection, String table, String column) throws SQLException {
        if (!exists(connection)) {
            return null;
        }
        ColumnChangeRecord found;
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, shadow_column, old_type, new_type, using_expr,"
                + " revert_using, key_column, settings, jobs, views, stage FROM " + TABLE + " WHERE table_name = ?"
                + " AND column_name = ? AND stage <> 'CONTRACTED'")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                found = new ColumnChangeRecord(rs.getLong(1), table, column, rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), PinnedSettings.fromArray(rs.getArray(8)),
                        list(rs.getArray(9)), list(rs.getArray(10)), List.of(), Stage.valueOf(rs.getString(11)));
            }
        }
        List<CreatedObject> objects = new ArrayList<>();
        for (String[] row : Sql.rows(connection, "SELECT e->>'kind', e->>'name', e->>'original', e->>'tab' FROM " + TABLE
                + " c, jsonb_array_elements(c.objects) WITH ORDINALITY x(e, i) WHERE c.id = ?::bigint ORDER BY i",
                Long.toString(found.id()))) {
            objects.add(new CreatedObject(Kind.valueOf(row[0]), row[1], row[2], row[3]));
        }
        return found.at(found.stage(), objects);
    }

    /** The most recent contracted change of the column, for messages; {@code null} if none. */
    public static String lastContractedType(Connection connection, String table, String column) throws SQLException {
        if (!exists(connection)) {
            return null;
        }
        String[] row = Sql.row(connection, "SELECT new_type FROM " + TABLE + " WHERE table_name = ? AND column_name = ?"
                + " AND stage = 'CONTRACTED' ORDER BY id DESC LIMIT 1", table, column);
        return row == null ? null : row[0];
    }

    /** Inserts this change (id 0) or updates its plan (a re-run of the same expand); returns it with its id. */
    public ColumnChangeRecord save(Connection connection) throws SQLException {
        String objectsJson = "(SELECT coalesce(jsonb_agg(jsonb_build_object('kind', k, 'name', n, 'original', o, 'tab', t)"
                + " ORDER BY i), '[]') FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY u(k, n, o, t, i))";
        String sql = id == 0
                ? "INSERT INTO " + TABLE + " (table_name, column_name, shadow_column, old_type, new_type, using_expr, revert_using,"
                        + " key_column, settings, jobs, views, stage, objects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + objectsJson + ") RETURNING id"
                : "UPDATE " + TABLE + " SET table_name = ?, column_name = ?, shadow_column = ?, old_type = ?, new_type = ?,"
                        + " using_expr = ?, revert_using = ?, key_column = ?, settings = ?, jobs = ?, views = ?, stage = ?,"
                        + " objects = " + objectsJson + ", updated_at = now() WHERE id = " + id + " RETURNING id";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, table);
            ps.setString(i++, column);
            ps.setString(i++, shadow);
            ps.setString(i++, oldType);
            ps.setString(i++, newType);
            ps.setString(i++, using);
            ps.setString(i++, revertUsing);
            ps.setString(i++, keyColumn);
            ps.setArray(i++, connection.createArrayOf("text", settings.toArray()));
            ps.setArray(i++, connection.createArrayOf("text", jobs.toArray()));
            ps.setArray(i++, connection.createArrayOf("text", views.toArray()));
            ps.setString(i++, stage.name());
            ps.setArray(i++, connection.createArrayOf("text", objects.stream().map(o -> o.kind().name()).toArray()));
            ps.setArray(i++, connection.createArrayOf("text", objects.stream().map(CreatedObject::name).toArray()));
            ps.setArray(i++, connection.createArrayOf("text", objects.stream().map(CreatedObject::original).toArray()));
            ps.setArray(i++, connection.createArrayOf("text", objects.stream().map(CreatedObject::table).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return withId(rs.getLong(1));
            }
        }
    }

    private ColumnChangeRecord withId(long newId) {
        return new ColumnChangeRecord(newId, table, column, shadow, oldType, newType, using, revertUsing, keyColumn, settings, jobs,
                views, objects, stage);
    }

    /** This record at {@code next}, with {@code objects} replacing its objects. */
    public ColumnChangeRecord at(Stage next, List<CreatedObject> newObjects) {
        return new ColumnChangeRecord(id, table, column, shadow, oldType, newType, using, revertUsing, keyColumn, settings, jobs,
                views, newObjects, next);
    }

    public void stage(Connection connection, Stage next) throws SQLException {
        at(next, objects).save(connection);
    }

    public String oldColumn() {
        return ZdmNames.of(column + dev.zdm.ZdmDefaults.OLD_SUFFIX);
    }

    private static boolean exists(Connection connection) throws SQLException {
        String[] row = Sql.row(connection, "SELECT (to_regclass('" + TABLE + "') IS NOT NULL AND EXISTS (SELECT 1 FROM"
                + " pg_attribute WHERE attrelid = to_regclass('" + TABLE + "') AND attname = 'objects'))::text");
        return "true".equals(row[0]);
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
