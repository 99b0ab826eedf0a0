package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A table's definition as sorted lines per aspect, with the table's name (and every object named after it) replaced
 * by {@code T}, so zdm's table and its twin compare equal when only their names differ. Column order is not compared
 * (a swap moves the column to the end, by design).
 */
record SchemaSnapshot(Map<String, List<String>> aspects) {

    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("column", "SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                + " || coalesce(CASE WHEN a.attgenerated <> '' THEN ' GENERATED ' ELSE ' DEFAULT ' END || pg_get_expr(d.adbin, d.adrelid), '')"
                + " || CASE a.attidentity WHEN 'a' THEN ' IDENTITY ALWAYS' WHEN 'd' THEN ' IDENTITY BY DEFAULT' ELSE '' END"
                + " || coalesce(' privileges ' || a.attacl::text, '')"
                + " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped");
        QUERIES.put("sequence", "SELECT a.attname || ' owns ' || s.seqrelid::regclass::text || ' AS ' || format_type(s.seqtypid, NULL)"
                + " || ' max ' || s.seqmax FROM pg_depend dep JOIN pg_sequence s ON s.seqrelid = dep.objid"
                + " JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid"
                + " WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass"
                + " AND dep.refobjid = to_regclass(?) AND dep.deptype IN ('a', 'i')");
        QUERIES.put("index", "SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END"
                + " || CASE WHEN i.indisprimary THEN ' (primary key)' ELSE '' END FROM pg_index i WHERE i.indrelid = to_regclass(?)");
        QUERIES.put("constraint", "SELECT conrelid::regclass::text || ' ' || conname || ' [' || contype::text || '] '"
                + " || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not validated)' END"
                + " FROM pg_constraint WHERE conrelid = to_regclass(?) OR confrelid = to_regclass(?)");
        QUERIES.put("view", "SELECT v.relname || ': ' || pg_get_viewdef(v.oid, true) || ' | columns ' || (SELECT string_agg(attname"
                + " || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = v.oid"
                + " AND attnum > 0) || ' | privileges ' || coalesce(v.relacl::text, 'default') FROM pg_class v"
                + " WHERE v.relkind = 'v' AND v.relname LIKE replace(?, '_', '\\_') || '\\_%'");
        QUERIES.put("table privileges", "SELECT coalesce(relacl::text, 'default') FROM pg_class WHERE oid = to_regclass(?)");
        QUERIES.put("policy", "SELECT polname || ' ' || polcmd::text || ' ' || coalesce(pg_get_expr(polqual, polrelid), '') || ' '"
                + " || coalesce(pg_get_expr(polwithcheck, polrelid), '') FROM pg_policy WHERE polrelid = to_regclass(?)");
        QUERIES.put("trigger", "SELECT pg_get_triggerdef(oid) || CASE WHEN tgenabled <> 'O' THEN ' enabled=' || tgenabled::text ELSE '' END"
                + " FROM pg_trigger WHERE tgrelid = to_regclass(?) AND NOT tgisinternal AND tgname NOT LIKE 'zdm\\_%'");
        QUERIES.put("zdm leftover", "SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname LIKE 'zdm\\_%'"
                + " UNION ALL SELECT 'column ' || attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0"
                + " AND NOT attisdropped AND attname LIKE '%\\_zdm%'");
    }

    static SchemaSnapshot read(Connection connection, String table) throws SQLException {
        Map<String, List<String>> aspects = new LinkedHashMap<>();
        for (Map.Entry<String, String> query : QUERIES.entrySet()) {
            TreeSet<String> lines = new TreeSet<>();
            try (PreparedStatement ps = connection.prepareStatement(query.getValue())) {
                int parameters = ps.getParameterMetaData().getParameterCount();
                for (int i = 1; i <= parameters; i++) {
                    ps.setString(i, table);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(normalize(rs.getString(1), table));
                    }
                }
            }
            aspects.put(query.getKey(), new ArrayList<>(lines));
        }
        return new SchemaSnapshot(aspects);
    }

    /** Replaces the table's name (a word start, so {@code s1_t} in {@code s1_t_idx} but not in {@code xs1_t}) by T. */
    static String normalize(String line, String table) {
        return line == null ? "null" : line.replaceAll("(?<![A-Za-z0-9_])" + java.util.regex.Pattern.quote(table), "T");
    }

    /** Every line only one side has, per aspect: {@code index: zdm has ... ; twin has ...}. */
    List<String> differences(SchemaSnapshot twin) {
        List<String> differences = new ArrayList<>();
        for (String aspect : aspects.keySet()) {
            List<String> mine = new ArrayList<>(aspects.get(aspect));
            List<String> theirs = new ArrayList<>(twin.aspects.get(aspect));
            List<String> onlyMine = new ArrayList<>(mine);
            onlyMine.removeAll(theirs);
            List<String> onlyTheirs = new ArrayList<>(theirs);
            onlyTheirs.removeAll(mine);
            if (!onlyMine.isEmpty() || !onlyTheirs.isEmpty()) {
                differences.add(aspect + ": zdm has " + (onlyMine.isEmpty() ? "nothing else" : onlyMine) + "; twin has "
                        + (onlyTheirs.isEmpty() ? "nothing else" : onlyTheirs));
            }
        }
        return differences;
    }

    /** The column's type, e.g. {@code c bigint ...} line's second word. */
    String columnLine(String column) {
        return aspects.get("column").stream().filter(l -> l.startsWith(column + " ")).findFirst().orElse("(no column " + column + ")");
    }
}
