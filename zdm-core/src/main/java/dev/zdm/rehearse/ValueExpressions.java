package dev.zdm.rehearse;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An SQL expression per column type, written in terms of the series number {@code zdm_n} (1, 2, 3, ...): injective
 * in {@code zdm_n} for columns whose values must differ ({@code unique}), spread over fewer values otherwise. Numbers
 * and times grow with the column's position too, so {@code CHECK (ends > starts)} holds for columns declared in
 * that order. A value is {@code null} when the type is not known here (the caller falls back).
 */
final class ValueExpressions {

    /** An expression and the largest {@code zdm_n} for which it stays unique (and in range). */
    record Value(String sql, long maxN) {
    }

    static final String N = "zdm_n";
    private static final long UNBOUNDED = Long.MAX_VALUE;
    private static final int MAX_TEXT = 512;

    private ValueExpressions() {
    }

    static Value of(SqlType type, boolean unique, CheckHints.Hint hint, int attnum) {
        if (!hint.values().isEmpty()) {
            return cycle(hint.values(), type, unique);
        }
        if (type.typtype().equals("e")) {
            return cycle(type.enumLabels().stream().map(ValueExpressions::literal).collect(Collectors.toList()), type, unique);
        }
        if (type.category().equals("A") && type.element() != null) {
            Value element = of(type.element(), unique, CheckHints.Hint.NONE, attnum);
            return element == null ? null : new Value("ARRAY[" + element.sql() + "]::" + type.baseName(), element.maxN());
        }
        switch (type.typname()) {
            case "int2":
                return integer(1, Short.MAX_VALUE, type, unique, hint, attnum);
            case "int4":
                return integer(1, Integer.MAX_VALUE, type, unique, hint, attnum);
            case "int8":
            case "oid":
                return integer(1, Long.MAX_VALUE / 4, type, unique, hint, attnum);
            case "float4":
                return integer(1, 1L << 24, type, unique, hint, attnum);
            case "float8":
                return integer(1, 1L << 52, type, unique, hint, attnum);
            case "money":
                return integer(1, 1L << 40, type, unique, hint, attnum);
            case "numeric":
                return numeric(type, unique, hint, attnum);
            case "bool":
                return unique ? new Value("(" + N + " % 2 = 0)", 2) : new Value("(" + N + " % 3 <> 0)", UNBOUNDED);
            case "bytea":
                return unique ? new Value("int8send(" + N + ")", UNBOUNDED)
                        : new Value("decode(md5((" + N + " % 1009)::text), 'hex')", UNBOUNDED);
            case "uuid":
                return new Value("md5(" + (unique ? N : "(" + N + " % 1009)") + "::text || '" + attnum + "')::uuid", UNBOUNDED);
            case "date":
                return unique ? new Value("(date '2000-01-01' + (" + N + " + " + attnum + ")::int)", 1_000_000_000)
                        : new Value("(date '2015-01-01' + (" + N + " / 50 + " + attnum + ")::int)", UNBOUNDED);
            case "timestamp":
            case "timestamptz":
                return new Value("(" + (type.typname().equals("timestamp") ? "timestamp '2020-01-01'" : "timestamptz '2020-01-01 00:00:00+00'")
                        + " + (" + N + " * 60 + " + attnum + ") * interval '1 second')::" + type.baseName(), 1_000_000_000_000L);
            case "time":
            case "timetz":
                return unique ? new Value("(time '00:00' + " + N + " * interval '1 microsecond')::" + type.baseName(), 86_399_999_999L)
                        : new Value("(time '00:00' + ((" + N + " * 61 + " + attnum + ") % 86400) * interval '1 second')::"
                                + type.baseName(), UNBOUNDED);
            case "interval":
                return new Value("((" + (unique ? N : N + " % 100003") + " + " + attnum + ") * interval '1 second')", UNBOUNDED);
            case "json":
            case "jsonb":
                return new Value(type.typname() + "_build_object('n', " + N + ", 'tag', 't' || (" + N + " % 10))", UNBOUNDED);
            case "inet":
                return new Value("('1.0.0.0'::inet + " + N + ")", (1L << 32) - (1L << 24) - 2);
            case "cidr":
                return new Value("('1.0.0.0'::inet + " + N + ")::cidr", (1L << 32) - (1L << 24) - 2);
            case "macaddr":
                return new Value("('08002b' || lpad(to_hex((" + N + " % 16777216)::int), 6, '0'))::macaddr", 1L << 24);
            default:
                break;
        }
        if (type.category().equals("S")) {
            return text(type, unique, hint);
        }
        return null;
    }

    private static Value cycle(List<String> values, SqlType type, boolean unique) {
        if (values.isEmpty()) {
            return null;
        }
        String array = "(ARRAY[" + String.join(", ", values) + "])[1 + (" + N + " % " + values.size() + ")::int]";
        return new Value("(" + array + ")::" + type.baseName(), unique ? values.size() : UNBOUNDED);
    }

    private static Value integer(long typeMin, long typeMax, SqlType type, boolean unique, CheckHints.Hint hint, int attnum) {
        long lo = Math.max(typeMin, hint.min() == null ? typeMin : hint.min());
        long hi = Math.min(typeMax, hint.max() == null ? typeMax : hint.max());
        if (hint.min() != null && hint.min() < typeMin) {
            lo = Math.max(hint.min(), -typeMax);
        }
        if (lo > hi) {
            return null;
        }
        String cast = "::" + type.baseName();
        if (unique) {
            long start = lo - 1;
            return new Value("(" + start + " + " + N + ")" + cast, hi - start);
        }
        long span = Math.min(hi - lo + 1, 100_003);
        return new Value("(" + lo + " + (" + N + " * 7919 + " + attnum + ") % " + span + ")" + cast, UNBOUNDED);
    }

    private static Value numeric(SqlType type, boolean unique, CheckHints.Hint hint, int attnum) {
        int precision = 30;
        int scale = 2;
        if (type.typmod() >= 4) {
            precision = ((type.typmod() - 4) >> 16) & 0xffff;
            scale = (short) ((type.typmod() - 4) & 0xffff);
        }
        if (scale < 0 || scale > precision) {
            return null;
        }
        int digits = precision - scale;
        long maxWhole = digits >= 18 ? Long.MAX_VALUE / 1000 : BigInteger.TEN.pow(digits).longValue() - 1;
        long lo = hint.min() == null ? 0 : Math.max(hint.min(), -maxWhole);
        long hi = hint.max() == null ? maxWhole : Math.min(hint.max(), maxWhole);
        if (lo > hi) {
            return null;
        }
        long unit = BigInteger.TEN.pow(Math.min(scale, 6)).longValue();
        String cast = "::" + type.baseName();
        if (unique) {
            long steps = (hi - lo) > Long.MAX_VALUE / unit ? Long.MAX_VALUE : (hi - lo) * unit;
            return new Value("(" + lo + " + " + N + "::numeric / " + unit + ")" + cast, Math.max(steps, hi - lo));
        }
        long span = Math.min(hi - lo, 100_003);
        return new Value("(" + lo + " + ((" + N + " * 7919 + " + attnum + ") % " + Math.max(1, span * unit) + ")::numeric / " + unit + ")"
                + cast, UNBOUNDED);
    }

    /** Starts with the key's digits, then {@code _} and hex, cut at a length that varies from row to row up to the limit. */
    private static Value text(SqlType type, boolean unique, CheckHints.Hint hint) {
        int limit = type.typname().equals("name") ? 63 : type.typmod() >= 4 ? type.typmod() - 4 : 40;
        if (type.typname().equals("bpchar") && type.typmod() < 0) {
            limit = 40;
        }
        if (hint.maxLength() != null) {
            limit = Math.min(limit, hint.maxLength());
        }
        limit = Math.min(limit, MAX_TEXT);
        int min = hint.minLength() == null ? 1 : hint.minLength();
        if (limit < 1 || min > limit) {
            return null;
        }
        String key = unique ? N : "(" + N + " % 1009)";
        String length = "least(" + limit + ", greatest(length(" + key + "::text), " + min + ", 1 + (" + N + " * 7919 % " + limit + ")::int))";
        String sql = "left(" + key + "::text || '_' || repeat(md5(" + N + "::text), " + (limit / 32 + 1) + "), " + length + ")::"
                + type.baseName();
        long maxN = limit >= 18 ? UNBOUNDED : BigInteger.TEN.pow(limit).longValue() - 1;
        return new Value(sql, unique ? maxN : UNBOUNDED);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
