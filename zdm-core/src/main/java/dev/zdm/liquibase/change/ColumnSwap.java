package dev.zdm.liquibase.change;

import dev.zdm.sql.SqlRewrite;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a column swap needs to know, read from the catalog before any lock, and the statements of the swap.
 * Cutover: the shadow becomes the column, the column becomes {@code <column>_zdm_old}; every name (indexes,
 * constraints, default, sequence, identity, views) follows, and a reverse trigger keeps the old column in sync.
 */
final class ColumnSwap {

    final ColumnChangeRecord change;
    final String t;
    final boolean notNull;
    final String defaultExpression;
    final String identity;
    final String sequence;
    final String primaryKey;
    /** Original index → its copy on the shadow (the primary key's index excluded). */
    final Map<String, String> indexes = new LinkedHashMap<>();
    /** Index of a UNIQUE constraint on the column → {constraint, deferrable clause}; swapped as constraints. */
    final Map<String, String[]> uniqueConstraints = new LinkedHashMap<>();
    /** Original constraint → its copy on the shadow. */
    final Map<String, String> constraints = new LinkedHashMap<>();
    /** Foreign keys of other tables that reference the column: {table, constraint, definition}. */
    final List<String[]> referencing = new ArrayList<>();
    /** View → its definition, read before the swap. */
    final Map<String, String> views = new LinkedHashMap<>();
    /** View → what re-applies its options, owner and grants after it is recreated. */
    final Map<String, List<String>> viewSettings = new LinkedHashMap<>();
    String primaryKeyCopy;

    private ColumnSwap(ColumnChangeRecord change, Connection connection, String column, boolean reverting) throws SQLException {
        this.change = change;
        this.t = TableName.quote(change.table());
        String[] info = row(connection, "SELECT a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text,"
                + " pg_get_serial_sequence(?, ?) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND"
                + " d.adnum = a.attnum WHERE a.attrelid = to_regclass(?) AND a.attname = ?", t, column, t, column);
        this.notNull = "true".equals(info[0]);
        this.defaultExpression = info[1];
        this.identity = info[2] == null || info[2].isEmpty() ? null : info[2];
        this.sequence = info[3];
        String[] pk = row(connection, "SELECT c.conname, i.relname FROM pg_constraint c JOIN pg_class i ON i.oid = c.conindid"
                + " WHERE c.conrelid = to_regclass(?) AND c.contype = 'p' AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ?)]", t, t, column);
        this.primaryKey = pk == null ? null : pk[0];
        for (String[] index : rows(connection, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = to_regclass(?) AND c.relname NOT LIKE '%\\_zdm' AND c.relname NOT LIKE '%\\_zdm\\_old'", t)) {
            String copy = ZdmNames.of(index[0], "zdm");
            String partner = reverting ? ZdmNames.of(index[0], "zdm", "old") : copy;
            if (exists(connection, "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid ="
                    + " to_regclass('" + t.replace("'", "''") + "') AND c.relname = ?", partner)) {
                String[] unique = row(connection, "SELECT conname, CASE WHEN condeferrable THEN ' DEFERRABLE' ELSE '' END"
                        + " || CASE WHEN condeferred THEN ' INITIALLY DEFERRED' ELSE '' END FROM pg_constraint WHERE contype = 'u'"
                        + " AND conindid = to_regclass(?)", TableName.quote(index[0]));
                if (pk != null && index[0].equals(pk[1])) {
                    primaryKeyCopy = copy;
                } else if (unique != null) {
                    uniqueConstraints.put(index[0], new String[] { unique[0], unique[1], copy });
                } else {
                    indexes.put(index[0], copy);
                }
            }
        }
        for (String[] constraint : rows(connection, "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(?)"
                + " AND contype IN ('c', 'f') AND conname NOT LIKE '%\\_zdm' AND conname NOT LIKE '%\\_zdm\\_old'", t)) {
            String copy = ZdmNames.of(constraint[0], "zdm");
            String partner = reverting ? ZdmNames.of(constraint[0], "zdm", "old") : copy;
            if (exists(connection, "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('" + t.replace("'", "''")
                    + "') AND conname = ?", partner)) {
                constraints.put(constraint[0], copy);
            }
        }
        referencing.addAll(rows(connection, "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = to_regclass(?) AND c.conname NOT LIKE '%\\_zdm'"
                + " AND c.confkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)]"
                + " ORDER BY 1, 2", t, t, column));
        for (String view : change.views()) {
            String[] definition = row(connection, "SELECT pg_get_viewdef(to_regclass(?), true)", TableName.quote(view));
            if (definition != null && definition[0] != null) {
                views.put(view, definition[0]);
                String v = TableName.quote(view);
                List<String> settings = new ArrayList<>();
                String[] meta = row(connection, "SELECT array_to_string(reloptions, ', '), quote_ident(pg_get_userbyid(relowner)),"
                        + " obj_description(oid, 'pg_class') FROM pg_class WHERE oid = to_regclass(?)", v);
                if (meta[0] != null && !meta[0].isEmpty()) {
                    settings.add("ALTER VIEW " + v + " SET (" + meta[0] + ")");
                }
                settings.add("ALTER VIEW " + v + " OWNER TO " + meta[1]);
                if (meta[2] != null) {
                    settings.add("COMMENT ON VIEW " + v + " IS '" + meta[2].replace("'", "''") + "'");
                }
                for (String[] grant : rows(connection, "SELECT privilege_type, CASE WHEN grantee = 'PUBLIC' THEN 'PUBLIC'"
                        + " ELSE quote_ident(grantee) END, is_grantable FROM information_schema.table_privileges"
                        + " WHERE table_name = ? AND grantee <> grantor", view)) {
                    settings.add("GRANT " + grant[0] + " ON " + v + " TO " + grant[1]
                            + ("YES".equals(grant[2]) ? " WITH GRANT OPTION" : ""));
                }
                viewSettings.put(view, settings);
            }
        }
    }

    /** Reads what the swap needs; {@code reverting}: the cutover already happened and is being undone. */
    static ColumnSwap read(ColumnChangeRecord change, Connection connection, boolean reverting) throws SQLException {
        return new ColumnSwap(change, connection, change.column(), reverting);
    }

    /**
     * Before the lock: each referencing table has a copy of its foreign key that references the shadow, added and
     * validated by the expand pipeline (done here only if that copy is somehow missing), so the swap only renames it.
     */
    void prepareReferencingKeys(Connection connection) throws SQLException {
        for (String[] fk : referencing) {
            String copy = ZdmNames.of(fk[1], "zdm");
            String definition = fk[2].replace(" NOT VALID", "");
            int references = definition.indexOf(" REFERENCES ");
            int open = definition.indexOf('(', references);
            String target = definition.substring(0, open) + SqlRewrite.replaceColumn(definition.substring(open), change.column(),
                    TableName.quote(change.shadow()));
            String[] state = row(connection, "SELECT convalidated::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                    + " AND conname = ?", fk[0], copy);
            if (state == null) { // normally added and validated by the expand pipeline's job
                execute(connection, List.of("ALTER TABLE " + fk[0] + " ADD CONSTRAINT " + TableName.quote(copy) + " " + target
                        + " NOT VALID"));
            }
            if (state == null || !"true".equals(state[0])) {
                execute(connection, List.of("ALTER TABLE " + fk[0] + " VALIDATE CONSTRAINT " + TableName.quote(copy)));
            }
        }
    }

    /** Every table the swap locks, in a fixed order (the table, then referencing tables by name). */
    List<String> lockOrder() {
        List<String> tables = new ArrayList<>(List.of(t));
        referencing.stream().map(fk -> fk[0]).distinct().sorted().forEach(tables::add);
        return tables;
    }

    /** The cutover's statements after {@code LOCK TABLE}, in order. */
    List<String> cutover(Connection connection) throws SQLException {
        String col = TableName.quote(change.column());
        String old = TableName.quote(change.oldColumn());
        String shadow = TableName.quote(change.shadow());
        List<String> sql = new ArrayList<>(MirrorSql.drop(change.table(), change.column(), change.shadow()));
        views.keySet().forEach(v -> sql.add("DROP VIEW " + TableName.quote(v)));
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + col + " TO " + old);
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + shadow + " TO " + col);
        if (notNull) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL"); // instant: the helper check is validated
        }
        if (identity != null) {
            long start = nextValue(connection);
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + old + " DROP IDENTITY");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " ADD GENERATED " + ("a".equals(identity) ? "ALWAYS" : "BY DEFAULT")
                    + " AS IDENTITY (START WITH " + start + ")");
        } else if (defaultExpression != null) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + old + " DROP DEFAULT");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET DEFAULT " + defaultExpression);
            if (sequence != null) {
                sql.add("ALTER SEQUENCE " + sequence + " OWNED BY " + t + "." + col);
            }
        }
        for (String[] fk : referencing) {
            sql.add("ALTER TABLE " + fk[0] + " DROP CONSTRAINT " + TableName.quote(fk[1]));
            sql.add("ALTER TABLE " + fk[0] + " RENAME CONSTRAINT " + TableName.quote(ZdmNames.of(fk[1], "zdm")) + " TO "
                    + TableName.quote(fk[1]));
        }
        if (primaryKey != null && primaryKeyCopy != null) {
            sql.add("ALTER TABLE " + t + " DROP CONSTRAINT " + TableName.quote(primaryKey));
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + TableName.quote(primaryKey) + " PRIMARY KEY USING INDEX "
                    + TableName.quote(primaryKeyCopy));
        }
        if (notNull) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + old + " DROP NOT NULL");
        }
        uniqueConstraints.values().forEach(u -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(u[0]) + " TO "
                    + TableName.quote(ZdmNames.of(u[0], "zdm", "old")));
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + TableName.quote(u[0]) + " UNIQUE USING INDEX "
                    + TableName.quote(u[2]) + u[1]);
        });
        indexes.forEach((original, copy) -> {
            sql.add("ALTER INDEX " + TableName.quote(original) + " RENAME TO " + TableName.quote(ZdmNames.of(original, "zdm", "old")));
            sql.add("ALTER INDEX " + TableName.quote(copy) + " RENAME TO " + TableName.quote(original));
        });
        constraints.forEach((original, copy) -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(original) + " TO "
                    + TableName.quote(ZdmNames.of(original, "zdm", "old")));
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(copy) + " TO " + TableName.quote(original));
        });
        recreateViews(sql);
        String revert = SqlRewrite.replaceColumn(change.revertUsing(), change.shadow(), col);
        sql.add(MirrorSql.rejectsTable());
        sql.add(MirrorSql.function(change.table(), change.column(), change.oldColumn(), revert));
        sql.add(MirrorSql.insertTrigger(change.table(), change.column(), change.oldColumn()));
        sql.add(MirrorSql.updateTrigger(change.table(), change.column(), change.oldColumn()));
        return sql;
    }

    /** The revert's statements after {@code LOCK TABLE}: the cutover undone (not for primary keys). */
    List<String> revert() {
        String col = TableName.quote(change.column());
        String old = TableName.quote(change.oldColumn());
        String shadow = TableName.quote(change.shadow());
        List<String> sql = new ArrayList<>(MirrorSql.drop(change.table(), change.column(), change.oldColumn()));
        views.keySet().forEach(v -> sql.add("DROP VIEW " + TableName.quote(v)));
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + col + " TO " + shadow);
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + old + " TO " + col);
        if (defaultExpression != null) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + shadow + " DROP DEFAULT");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET DEFAULT " + defaultExpression);
            if (sequence != null) {
                sql.add("ALTER SEQUENCE " + sequence + " OWNED BY " + t + "." + col);
            }
        }
        if (notNull) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + shadow + " DROP NOT NULL");
        }
        indexes.forEach((original, copy) -> {
            sql.add("ALTER INDEX " + TableName.quote(original) + " RENAME TO " + TableName.quote(copy));
            sql.add("ALTER INDEX " + TableName.quote(ZdmNames.of(original, "zdm", "old")) + " RENAME TO " + TableName.quote(original));
        });
        constraints.forEach((original, copy) -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(original) + " TO " + TableName.quote(copy));
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(ZdmNames.of(original, "zdm", "old")) + " TO "
                    + TableName.quote(original));
        });
        recreateViews(sql);
        sql.add(MirrorSql.function(change.table(), change.column(), change.shadow(), change.using()));
        sql.add(MirrorSql.insertTrigger(change.table(), change.column(), change.shadow()));
        sql.add(MirrorSql.updateTrigger(change.table(), change.column(), change.shadow()));
        return sql;
    }

    /** Views come back with their definition, options, owner, comment and grants. */
    private void recreateViews(List<String> sql) {
        views.forEach((view, definition) -> {
            sql.add("CREATE VIEW " + TableName.quote(view) + " AS " + definition);
            sql.addAll(viewSettings.getOrDefault(view, List.of()));
        });
    }

    private long nextValue(Connection connection) throws SQLException {
        if (sequence == null) {
            return 1;
        }
        String[] value = row(connection, "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END::text FROM "
                + sequence);
        return Long.parseLong(value[0]);
    }

    static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String parameter) throws SQLException {
        return row(connection, sql, parameter) != null;
    }

    static String[] row(Connection connection, String sql, String... parameters) throws SQLException {
        List<String[]> rows = rows(connection, sql, parameters);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static List<String[]> rows(Connection connection, String sql, String... parameters) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
