package dev.zdm.liquibase.change;

import dev.zdm.sql.SqlLexer;
import dev.zdm.sql.TableName;
import dev.zdm.sql.Token;
import java.util.List;

/**
 * The SQL of a change-guarded mirror trigger: target := using(source), on INSERT when the target was not
 * supplied and on UPDATE only when the source changed (a {@code BEFORE UPDATE OF source ... WHEN} trigger,
 * so updates that do not touch the source pay nothing). A value that does not convert leaves the target NULL
 * and is counted in {@code zdm_mirror_rejects}: the trigger never makes a write fail that succeeded before.
 */
final class MirrorSql {

    static final String REJECTS_TABLE = "zdm_mirror_rejects";

    private MirrorSql() {
    }

    static String rejectsTable() {
        return "CREATE TABLE IF NOT EXISTS " + REJECTS_TABLE + " (table_name text NOT NULL, target_column text NOT NULL,"
                + " rejects bigint NOT NULL DEFAULT 0, last_value text, last_error text,"
                + " updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (table_name, target_column))";
    }

    /**
     * The function with a plain assignment, for conversions that cannot fail (e.g. integer to bigint): no
     * exception block, so no subtransaction per row.
     */
    static String fastFunction(String table, String source, String target, String using) {
        String expression = onNewRow(using == null ? TableName.quote(source) : using, source);
        String t = "NEW." + TableName.quote(target);
        return "CREATE OR REPLACE FUNCTION " + TableName.quote(ZdmNames.mirrorFunction(table, source, target))
                + "() RETURNS trigger LANGUAGE plpgsql AS $zdm$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'INSERT' AND " + t + " IS NOT NULL THEN\n"
                + "    RETURN NEW;\n"
                + "  END IF;\n"
                + "  " + t + " := " + expression + ";\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$zdm$";
    }

    /**
     * Whether {@code using} only converts the source from {@code sourceType} to {@code targetType} in a way
     * that cannot raise an error for any value (widening integers, anything to text, longer varchar).
     */
    static boolean cannotFail(String using, String source, String sourceType, String targetType) {
        dev.zdm.sql.SqlType from = dev.zdm.sql.SqlType.parse(sourceType);
        dev.zdm.sql.SqlType to = dev.zdm.sql.SqlType.parse(targetType);
        if (using != null) {
            List<Token> tokens = SqlLexer.tokenize(using);
            boolean plain = !tokens.isEmpty() && tokens.get(0).isName() && tokens.get(0).identifier().equals(source)
                    && (tokens.size() == 1 || (tokens.get(1).isSymbol("::")
                            && dev.zdm.sql.SqlType.parse(using.substring(tokens.get(1).end())).equals(to)));
            if (!plain) {
                return false;
            }
        }
        if (from.array() || to.array()) {
            return from.equals(to);
        }
        if (from.equals(to) || dev.zdm.sql.SqlType.isBinaryCompatible(from, to) || to.name().equals("text")) {
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

    private static boolean isUnboundedNumeric(dev.zdm.sql.SqlType type) {
        return type.name().equals("numeric") && type.modifiers().isEmpty();
    }

    static String function(String table, String source, String target, String using) {
        String expression = onNewRow(using == null ? TableName.quote(source) : using, source);
        String t = "NEW." + TableName.quote(target);
        return "CREATE OR REPLACE FUNCTION " + TableName.quote(ZdmNames.mirrorFunction(table, source, target))
                + "() RETURNS trigger LANGUAGE plpgsql AS $zdm$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'INSERT' AND " + t + " IS NOT NULL THEN\n"
                + "    RETURN NEW;\n"
                + "  END IF;\n"
                + "  BEGIN\n"
                + "    " + t + " := " + expression + ";\n"
                + "  EXCEPTION WHEN data_exception THEN\n"
                + "    " + t + " := NULL;\n"
                + "    BEGIN\n"
                + "      INSERT INTO " + REJECTS_TABLE + " AS r (table_name, target_column, rejects, last_value, last_error)\n"
                + "      VALUES (" + literal(table) + ", " + literal(target) + ", 1, left(NEW." + TableName.quote(source)
                + "::text, 200), SQLERRM)\n"
                + "      ON CONFLICT (table_name, target_column) DO UPDATE SET rejects = r.rejects + 1,"
                + " last_value = excluded.last_value, last_error = excluded.last_error, updated_at = now();\n"
                + "    EXCEPTION WHEN others THEN\n"
                + "      NULL; -- counting must never make the write fail\n"
                + "    END;\n"
                + "  END;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$zdm$";
    }

    static String insertTrigger(String table, String source, String target) {
        return "CREATE OR REPLACE TRIGGER " + TableName.quote(ZdmNames.mirrorInsertTrigger(table, source, target))
                + " BEFORE INSERT ON " + TableName.quote(table) + " FOR EACH ROW EXECUTE FUNCTION "
                + TableName.quote(ZdmNames.mirrorFunction(table, source, target)) + "()";
    }

    static String updateTrigger(String table, String source, String target) {
        String s = TableName.quote(source);
        return "CREATE OR REPLACE TRIGGER " + TableName.quote(ZdmNames.mirrorUpdateTrigger(table, source, target))
                + " BEFORE UPDATE OF " + s + " ON " + TableName.quote(table) + " FOR EACH ROW WHEN (NEW." + s
                + " IS DISTINCT FROM OLD." + s + ") EXECUTE FUNCTION "
                + TableName.quote(ZdmNames.mirrorFunction(table, source, target)) + "()";
    }

    static List<String> drop(String table, String source, String target) {
        return List.of(
                "DROP TRIGGER IF EXISTS " + TableName.quote(ZdmNames.mirrorInsertTrigger(table, source, target)) + " ON "
                        + TableName.quote(table),
                "DROP TRIGGER IF EXISTS " + TableName.quote(ZdmNames.mirrorUpdateTrigger(table, source, target)) + " ON "
                        + TableName.quote(table),
                "DROP FUNCTION IF EXISTS " + TableName.quote(ZdmNames.mirrorFunction(table, source, target)) + "()");
    }

    /** Rewrites an expression over the source column into one over {@code NEW.source}. */
    static String onNewRow(String expression, String source) {
        return dev.zdm.sql.SqlRewrite.replaceColumn(expression, source, "NEW." + TableName.quote(source));
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
