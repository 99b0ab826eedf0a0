package dev.zdm.columnchange;

import dev.zdm.liquibase.change.ZdmNames;

import dev.zdm.jobs.PinnedSettings;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.SqlFragments;
import dev.zdm.sql.SqlLexer;
import dev.zdm.sql.SqlType;
import dev.zdm.sql.TableName;
import dev.zdm.sql.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of a mirror trigger: {@code target := using(source)} on every write that can change it.
 *
 * <ol>
 *   <li>{@code BEFORE INSERT}: always (a supplied target is overwritten, as a plain ALTER would compute it).</li>
 *   <li>{@code BEFORE UPDATE} of any column, with {@code WHEN} (a column the expression reads changed, or the target
 *       is still NULL). Not {@code UPDATE OF source}: that fires only when the statement names the source, so a value
 *       the application's own BEFORE trigger derives, or a key-only update of a row the backfill has not reached yet,
 *       would be missed. PostgreSQL fires BEFORE triggers in name order and evaluates each {@code WHEN} just before it
 *       would run, so the mirror (named {@code zdm_mirror_...}) sees what the application's triggers did to
 *       {@code NEW}; a table with a BEFORE row trigger that sorts after it is refused ({@link MirrorOrder}).</li>
 *   <li>Both triggers are {@code ENABLE ALWAYS}: they fire under {@code session_replication_role = replica} (logical
 *       replication apply, some restore tools) too, so such writes are mirrored rather than silently skipped.</li>
 *   <li>The value is assigned, so PostgreSQL converts it with assignment semantics, exactly as a plain
 *       {@code ALTER ... TYPE} (a string too long raises rather than being cut). The function pins the session
 *       settings a conversion may read ({@link PinnedSettings}).</li>
 *   <li>A value that does not convert never makes the write fail: the target is left NULL (or, for a NOT NULL column,
 *       its previous value, else any existing value, so the helper NOT NULL check holds) and the row's key is recorded
 *       in {@code zdm_mirror_reject}; the cutover refuses while a recorded row still does not convert.</li>
 * </ol>
 */
public final class MirrorSql {

    public static final String REJECTS_TABLE = "zdm_mirror_reject";

    private MirrorSql() {
    }

    /**
     * One mirror: {@code target := expression} on {@code table}.
     *
     * @param expression over the table's columns, by name (e.g. {@code file_size}, {@code lower(id)::uuid})
     * @param watched the columns the expression reads; an update that changes one of them recomputes the target
     * @param keyColumn the one-column primary key, recorded with a reject; {@code null} if there is none
     * @param cannotFail the conversion cannot raise for any value: no exception block (no subtransaction per row)
     * @param keepNonNull a NOT NULL column: a reject keeps a non-NULL target
     */
    public record Spec(String table, String source, String target, String expression, List<String> watched, String keyColumn,
            PinnedSettings settings, boolean cannotFail, boolean keepNonNull, List<String> textCompared, String tableSql,
            String rejectsSql) {

        public Spec {
            String context = "mirror trigger on " + table;
            SqlFragments.require(context, "table", table, Fragment.IDENTIFIER);
            SqlFragments.require(context, "source", source, Fragment.IDENTIFIER);
            SqlFragments.require(context, "target", target, Fragment.IDENTIFIER);
            SqlFragments.require(context, "using", expression, Fragment.EXPRESSION);
            watched = List.copyOf(watched);
            textCompared = List.copyOf(textCompared);
            settings = settings == null ? PinnedSettings.NONE : settings;
        }

        /** A spec whose names resolve through the session's search_path (for offline SQL and name checks). */
        public Spec(String table, String source, String target, String expression, List<String> watched, String keyColumn,
                PinnedSettings settings, boolean cannotFail, boolean keepNonNull) {
            this(table, source, target, expression, watched, keyColumn, settings, cannotFail, keepNonNull, List.of(),
                    TableName.quote(table), REJECTS_TABLE);
        }

        public String function() {
            return ZdmNames.mirrorFunction(table, source, target);
        }

        public String insertTrigger() {
            return ZdmNames.mirrorInsertTrigger(table, source, target);
        }

        public String updateTrigger() {
            return ZdmNames.mirrorUpdateTrigger(table, source, target);
        }
    }

    /** The columns of {@code columns} that {@code expression} names, the source first. */
    public static List<String> watched(String expression, String source, List<String> columns) {
        Set<String> names = new LinkedHashSet<>(List.of(source));
        for (Token token : SqlLexer.tokenize(expression)) {
            if (token.isName() && columns.contains(token.identifier())) {
                names.add(token.identifier());
            }
        }
        return new ArrayList<>(names);
    }

    /** Everything that creates the mirror, in order. */
    public static List<String> create(Spec spec) {
        String t = TableName.quote(spec.table());
        return List.of(function(spec), insertTrigger(spec), updateTrigger(spec),
                "ALTER TABLE " + t + " ENABLE ALWAYS TRIGGER " + TableName.quote(spec.insertTrigger()),
                "ALTER TABLE " + t + " ENABLE ALWAYS TRIGGER " + TableName.quote(spec.updateTrigger()));
    }

    public static String function(Spec spec) {
        String expression = onNewRow(spec.expression(), spec.watched());
        String t = "NEW." + TableName.quote(spec.target());
        String head = "CREATE OR REPLACE FUNCTION " + TableName.quote(spec.function()) + "() RETURNS trigger LANGUAGE plpgsql"
                + spec.settings().functionClauses() + " AS $zdm$\n";
        if (spec.cannotFail()) {
            return head + "BEGIN\n  " + t + " := " + expression + ";\n  RETURN NEW;\nEND\n$zdm$";
        }
        String keep = spec.keepNonNull()
                ? "    IF TG_OP = 'UPDATE' THEN\n      " + t + " := OLD." + TableName.quote(spec.target()) + ";\n    END IF;\n"
                        + "    IF " + t + " IS NULL THEN\n      SELECT zdm_p." + TableName.quote(spec.target()) + " INTO " + t
                        + " FROM " + spec.tableSql() + " zdm_p WHERE zdm_p." + TableName.quote(spec.target())
                        + " IS NOT NULL LIMIT 1; -- a placeholder the cutover never accepts (the row is recorded)\n    END IF;\n"
                : "";
        String key = spec.keyColumn() == null ? "''" : "coalesce(NEW." + TableName.quote(spec.keyColumn()) + "::text, '')";
        return head
                + "BEGIN\n"
                + "  BEGIN\n"
                + "    " + t + " := " + expression + ";\n"
                + "  EXCEPTION WHEN data_exception THEN\n"
                + "    " + t + " := NULL;\n"
                + keep
                + "    BEGIN\n"
                + "      INSERT INTO " + spec.rejectsSql() + " AS r (table_name, target_column, row_key, value, error)\n"
                + "      VALUES (" + literal(spec.table()) + ", " + literal(spec.target()) + ", " + key + ", left(NEW."
                + TableName.quote(spec.source()) + "::text, 200), SQLERRM)\n"
                + "      ON CONFLICT (table_name, target_column, row_key) DO UPDATE SET value = excluded.value,"
                + " error = excluded.error, updated_at = now();\n"
                + "    EXCEPTION WHEN others THEN\n"
                + "      NULL; -- recording must never make the write fail\n"
                + "    END;\n"
                + "  END;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$zdm$";
    }

    public static String insertTrigger(Spec spec) {
        return "CREATE OR REPLACE TRIGGER " + TableName.quote(spec.insertTrigger()) + " BEFORE INSERT ON "
                + TableName.quote(spec.table()) + " FOR EACH ROW EXECUTE FUNCTION " + TableName.quote(spec.function()) + "()";
    }

    public static String updateTrigger(Spec spec) {
        List<String> changed = new ArrayList<>();
        for (String column : spec.watched()) {
            String c = TableName.quote(column);
            // Types whose equality is not identity (numeric 1.0 = 1.00, interval, citext) or that have none (json) are
            // compared as text, so every change a plain ALTER would see recomputes the target.
            changed.add(spec.textCompared().contains(column) ? "NEW." + c + "::text IS DISTINCT FROM OLD." + c + "::text"
                    : "NEW." + c + " IS DISTINCT FROM OLD." + c);
        }
        changed.add("NEW." + TableName.quote(spec.target()) + " IS NULL");
        return "CREATE OR REPLACE TRIGGER " + TableName.quote(spec.updateTrigger()) + " BEFORE UPDATE ON "
                + TableName.quote(spec.table()) + " FOR EACH ROW WHEN (" + String.join(" OR ", changed) + ") EXECUTE FUNCTION "
                + TableName.quote(spec.function()) + "()";
    }

    public static List<String> drop(String table, String source, String target) {
        return List.of(
                "DROP TRIGGER IF EXISTS " + TableName.quote(ZdmNames.mirrorInsertTrigger(table, source, target)) + " ON "
                        + TableName.quote(table),
                "DROP TRIGGER IF EXISTS " + TableName.quote(ZdmNames.mirrorUpdateTrigger(table, source, target)) + " ON "
                        + TableName.quote(table),
                "DROP FUNCTION IF EXISTS " + TableName.quote(ZdmNames.mirrorFunction(table, source, target)) + "()");
    }

    /**
     * Whether {@code using} only converts the source from {@code sourceType} to {@code targetType} in a way
     * that cannot raise an error for any value (widening integers, anything to text, longer varchar).
     */
    public static boolean cannotFail(String using, String source, String sourceType, String targetType) {
        SqlType from = SqlType.parse(sourceType);
        SqlType to = SqlType.parse(targetType);
        if (using != null) {
            List<Token> tokens = SqlLexer.tokenize(using);
            boolean plain = !tokens.isEmpty() && tokens.get(0).isName() && tokens.get(0).identifier().equals(source)
                    && (tokens.size() == 1 || (tokens.get(1).isSymbol("::")
                            && SqlType.parse(using.substring(tokens.get(1).end())).equals(to)));
            if (!plain) {
                return false;
            }
        }
        if (from.array() || to.array()) {
            return from.equals(to);
        }
        if (from.equals(to) || SqlType.isBinaryCompatible(from, to) || to.name().equals("text")) {
            return true;
        }
        return switch (from.name()) {
            case "int2" -> List.of("int4", "int8", "float8").contains(to.name()) || isUnboundedNumeric(to);
            case "int4" -> List.of("int8", "float8").contains(to.name()) || isUnboundedNumeric(to);
            case "int8" -> isUnboundedNumeric(to);
            case "float4" -> to.name().equals("float8");
            default -> false;
        };
    }

    private static boolean isUnboundedNumeric(SqlType type) {
        return type.name().equals("numeric") && type.modifiers().isEmpty();
    }

    /** Rewrites an expression over the table's columns into one over {@code NEW}. */
    public static String onNewRow(String expression, List<String> columns) {
        String rewritten = expression;
        for (String column : columns) {
            rewritten = dev.zdm.sql.SqlRewrite.replaceColumn(rewritten, column, "NEW." + TableName.quote(column));
        }
        return "(" + rewritten + ")";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
