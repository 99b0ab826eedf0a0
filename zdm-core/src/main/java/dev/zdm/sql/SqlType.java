package dev.zdm.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A column type reduced to its canonical name and modifiers, so {@code varchar(32)}, {@code character
 * varying(32)} and {@code pg_catalog.varchar(32)} compare equal.
 *
 * @param name canonical name, e.g. {@code varchar}, {@code int4}, {@code numeric}, {@code timestamptz}
 * @param modifiers type modifiers, e.g. {@code [32]} or {@code [10, 2]}; empty when none
 * @param array whether it is an array type
 */
public record SqlType(String name, List<Integer> modifiers, boolean array) {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("integer", "int4"), Map.entry("int", "int4"), Map.entry("serial", "int4"), Map.entry("serial4", "int4"),
            Map.entry("bigint", "int8"), Map.entry("bigserial", "int8"), Map.entry("serial8", "int8"),
            Map.entry("smallint", "int2"), Map.entry("smallserial", "int2"), Map.entry("serial2", "int2"),
            Map.entry("character varying", "varchar"), Map.entry("char varying", "varchar"),
            Map.entry("character", "bpchar"), Map.entry("char", "bpchar"),
            Map.entry("decimal", "numeric"), Map.entry("boolean", "bool"), Map.entry("real", "float4"),
            Map.entry("double precision", "float8"), Map.entry("float", "float8"),
            Map.entry("timestamp with time zone", "timestamptz"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("time with time zone", "timetz"), Map.entry("time without time zone", "time"),
            Map.entry("bit varying", "varbit"));

    /** Parses a type as written in SQL or printed by {@code format_type}. */
    public static SqlType parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("pg_catalog.", "").replace("\"", "");
        boolean array = false;
        while (t.endsWith("[]")) {
            array = true;
            t = t.substring(0, t.length() - 2).strip();
        }
        List<Integer> modifiers = new ArrayList<>();
        int open = t.indexOf('(');
        String base = t;
        String suffix = "";
        if (open >= 0) {
            int close = t.indexOf(')', open);
            for (String m : t.substring(open + 1, close < 0 ? t.length() : close).split(",")) {
                try {
                    modifiers.add(Integer.parseInt(m.strip()));
                } catch (NumberFormatException ignored) {
                    // not a numeric modifier: keep the name only
                }
            }
            base = t.substring(0, open).strip();
            suffix = close < 0 ? "" : t.substring(close + 1).strip();
        }
        String name = (base + (suffix.isEmpty() ? "" : " " + suffix)).replaceAll("\\s+", " ");
        if (name.startsWith("timestamp") || name.startsWith("time ")) {
            // timestamp(3) with time zone: the precision sits in the middle
            name = name.replaceAll("\\s+", " ");
        }
        return new SqlType(ALIASES.getOrDefault(name, name), List.copyOf(modifiers), array);
    }

    /** Whether the type is one of the serial pseudo-types (a column default from a sequence). */
    public static boolean isSerial(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return t.equals("serial") || t.equals("bigserial") || t.equals("smallserial") || t.matches("serial[248]");
    }

    /**
     * Whether changing a column from {@code from} to {@code to} keeps every stored value as it is, so
     * PostgreSQL neither rewrites the table nor rebuilds plain indexes: {@code varchar(n)} to a longer or
     * unbounded {@code varchar} or {@code text}, {@code text} to unbounded {@code varchar}, {@code numeric}
     * with more precision and the same scale (or unconstrained), longer {@code varbit}, {@code cidr} to {@code inet}.
     */
    public static boolean isBinaryCompatible(SqlType from, SqlType to) {
        if (from.array != to.array) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        String a = from.name;
        String b = to.name;
        if ((a.equals("varchar") || a.equals("text")) && (b.equals("text") || b.equals("varchar"))) {
            if (to.modifiers.isEmpty()) {
                return true;
            }
            return a.equals("varchar") && !from.modifiers.isEmpty() && to.modifiers.get(0) >= from.modifiers.get(0);
        }
        if (a.equals("numeric") && b.equals("numeric")) {
            if (to.modifiers.isEmpty()) {
                return true;
            }
            if (from.modifiers.isEmpty()) {
                return false;
            }
            int fromScale = from.modifiers.size() > 1 ? from.modifiers.get(1) : 0;
            int toScale = to.modifiers.size() > 1 ? to.modifiers.get(1) : 0;
            return fromScale == toScale && to.modifiers.get(0) >= from.modifiers.get(0);
        }
        if (a.equals(b) && java.util.Set.of("timestamp", "timestamptz", "time", "timetz", "interval").contains(a)) {
            // more fractional-second precision (or none) keeps every stored value
            return to.modifiers.isEmpty() || (!from.modifiers.isEmpty() && to.modifiers.get(0) >= from.modifiers.get(0));
        }
        if (a.equals("varbit") && b.equals("varbit")) {
            return to.modifiers.isEmpty() || (!from.modifiers.isEmpty() && to.modifiers.get(0) >= from.modifiers.get(0));
        }
        return a.equals("cidr") && b.equals("inet");
    }
}
