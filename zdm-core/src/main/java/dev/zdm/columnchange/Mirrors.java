package dev.zdm.columnchange;

import dev.zdm.jobs.PinnedSettings;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link MirrorSql.Spec} from the live catalog, checks the trigger order, and installs it. */
public final class Mirrors {

    private Mirrors() {
    }

    /**
     * The expression a column converts with when the change gives none: the column itself, assigned, so PostgreSQL
     * converts it as {@code ALTER ... TYPE} without {@code USING} does. {@code null} where PostgreSQL has no assignment
     * cast (varchar to uuid, text to integer): a plain ALTER refuses that change without {@code USING}, and so does zdm.
     * Decided by letting PostgreSQL plan {@code UPDATE t SET target = (column)}, which needs the target column to exist.
     */
    public static String defaultUsing(Connection connection, String table, String source, String target, String targetType)
            throws SQLException {
        String plain = TableName.quote(source);
        boolean transaction = !connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            if (transaction) {
                statement.execute("SAVEPOINT zdm_assign");
            }
            try {
                statement.execute("EXPLAIN UPDATE " + TableName.quote(table) + " SET " + TableName.quote(target) + " = ("
                        + plain + ") WHERE false");
                return plain;
            } catch (SQLException e) {
                if (!"42804".equals(e.getSQLState())) {
                    throw e;
                }
                return null;
            } finally {
                if (transaction) {
                    statement.execute("ROLLBACK TO SAVEPOINT zdm_assign");
                    statement.execute("RELEASE SAVEPOINT zdm_assign");
                }
            }
        }
    }

    /** The mirror of {@code source} into {@code target} with {@code using} (already resolved), read from the catalog. */
    public static MirrorSql.Spec spec(Connection connection, String table, String source, String target, String using,
            PinnedSettings settings, boolean keepNonNull) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (String[] row : Sql.rows(connection, "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attnum > 0 AND NOT attisdropped", TableName.quote(table))) {
            columns.add(row[0]);
        }
        columns.remove(target);
        String[] key = Sql.row(connection, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) AND i.indisprimary AND i.indnatts = 1",
                TableName.quote(table));
        String sourceType = columnType(connection, table, source);
        String targetType = columnType(connection, table, target);
        boolean cannotFail = MirrorSql.cannotFail(using, source, sourceType, targetType);
        // A SET clause costs every call a GUC save and restore: pin only where the conversion can read a setting.
        PinnedSettings pinned = readsSessionSettings(using, sourceType, targetType) ? settings : PinnedSettings.NONE;
        List<String> watched = MirrorSql.watched(using, source, columns);
        List<String> textCompared = new ArrayList<>();
        for (String column : watched) {
            String type = columnType(connection, table, column);
            if (type == null || !IDENTITY_EQUALITY.contains(dev.zdm.sql.SqlType.parse(type).name())) {
                textCompared.add(column);
            }
        }
        // The trigger body names its tables schema-qualified: it runs with each writer's search_path.
        String[] qualified = Sql.row(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)", TableName.quote(table));
        String tableSql = qualified == null ? null : qualified[0];
        String[] rejects = Sql.row(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)", MirrorSql.REJECTS_TABLE);
        return new MirrorSql.Spec(table, source, target, using, watched, key == null ? null : key[0], pinned, cannotFail,
                keepNonNull, textCompared, tableSql == null ? TableName.quote(table) : tableSql,
                rejects == null || rejects[0] == null ? MirrorSql.REJECTS_TABLE : rejects[0]);
    }

    /** Types whose {@code =} holds only for identical values, so {@code IS DISTINCT FROM} sees every change. */
    private static final java.util.Set<String> IDENTITY_EQUALITY = java.util.Set.of("int2", "int4", "int8", "text", "varchar",
            "bpchar", "uuid", "bool", "date", "timestamp", "timestamptz", "bytea", "time", "oid");

    private static final java.util.Set<String> SETTING_READERS = java.util.Set.of("timestamp", "timestamptz", "date", "time",
            "timetz", "interval", "float4", "float8", "money");

    /**
     * Whether converting may read {@code TimeZone}, {@code DateStyle}, {@code IntervalStyle} or {@code extra_float_digits}:
     * a date/time, interval, float or money type on either side, or a {@code using} that calls a function.
     */
    static boolean readsSessionSettings(String using, String sourceType, String targetType) {
        for (String type : new String[] { sourceType, targetType }) {
            if (type == null || SETTING_READERS.contains(dev.zdm.sql.SqlType.parse(type).name())) {
                return true;
            }
        }
        return dev.zdm.sql.SqlLexer.tokenize(using).stream().anyMatch(t -> t.isSymbol("("));
    }

    /** The column's type as {@code format_type} prints it, or {@code null}. */
    public static String columnType(Connection connection, String table, String column) throws SQLException {
        String[] row = Sql.row(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped", TableName.quote(table), column);
        return row == null ? null : row[0];
    }

    /**
     * BEFORE row triggers of the application that PostgreSQL would fire after the mirror (they sort after it by name):
     * one that changes the source would leave the target stale. Returned as descriptions, empty when there are none.
     */
    public static List<String> firingAfter(Connection connection, MirrorSql.Spec spec) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String[] row : Sql.rows(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(?)"
                + " AND NOT tgisinternal AND tgname NOT LIKE 'zdm\\_%' AND (tgtype & 3) = 3"
                + " AND (((tgtype & 4) <> 0 AND tgname COLLATE \"C\" > ? COLLATE \"C\")"
                + " OR ((tgtype & 16) <> 0 AND tgname COLLATE \"C\" > ? COLLATE \"C\")) ORDER BY 1",
                TableName.quote(spec.table()), spec.insertTrigger(), spec.updateTrigger())) {
            found.add(row[0]);
        }
        return found;
    }

    /** The refusal for {@link #firingAfter} triggers. */
    public static String orderProblem(MirrorSql.Spec spec, List<String> triggers) {
        return "trigger(s) " + String.join(", ", triggers) + " on " + spec.table() + " fire after zdm's mirror trigger "
                + spec.updateTrigger() + " (PostgreSQL fires BEFORE row triggers in name order), so a value they give "
                + spec.source() + " would not reach " + spec.target() + "; rename them so they sort before 'zdm_' (ALTER"
                + " TRIGGER ... RENAME TO ...)";
    }

    public static void install(Connection connection, MirrorSql.Spec spec) throws SQLException {
        Sql.execute(connection, MirrorSql.create(spec));
    }
}
