package dev.zdm.rehearse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What simple CHECK expressions say about one column, so the generator can aim inside them: {@code col IN (...)}
 * (rendered {@code col = ANY (ARRAY[...])}), {@code col > n} / {@code >=} / {@code <} / {@code <=} / {@code =} (also
 * {@code BETWEEN}, rendered as two comparisons) and {@code length(col) <= n}. An expression with {@code OR} or
 * {@code NOT} is not read (a narrower guess would be wrong there); the fill also filters rows by every check.
 */
final class CheckHints {

    /** Hints for one column; {@code null} fields say nothing. */
    record Hint(List<String> values, Long min, Long max, Integer minLength, Integer maxLength) {

        static final Hint NONE = new Hint(List.of(), null, null, null, null);

        Hint merge(Hint other) {
            return new Hint(values.isEmpty() ? other.values : values, larger(min, other.min), smaller(max, other.max),
                    larger(minLength, other.minLength), smaller(maxLength, other.maxLength));
        }

        private static <T extends Comparable<T>> T larger(T a, T b) {
            return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
        }

        private static <T extends Comparable<T>> T smaller(T a, T b) {
            return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
        }
    }

    private static final String IDENT = "(\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)";
    private static final String CAST = "(?:::[a-z ]+(?:\\(\\d+(?:,\\d+)?\\))?(?:\\[\\])?)?";
    private static final Pattern IN = Pattern.compile("\\(*" + IDENT + "\\)*" + CAST + "\\s*=\\s*ANY\\s*\\(+ARRAY\\[(.*?)\\]");
    private static final Pattern LENGTH = Pattern.compile(
            "(?:char_length|character_length|length)\\(\\(*" + IDENT + "\\)*" + CAST + "\\)\\s*(>=|<=|>|<|=)\\s*\\(*(\\d+)");
    private static final Pattern COMPARE = Pattern.compile(
            "\\(*" + IDENT + "\\)*" + CAST + "\\s*(>=|<=|>|<|=)\\s*\\(*(-?\\d+(?:\\.\\d+)?)\\)*" + CAST);

    private CheckHints() {
    }

    /** Hints by column name (unquoted), from every expression. */
    static Map<String, Hint> read(List<String> expressions) {
        Map<String, Hint> hints = new HashMap<>();
        for (String expression : expressions) {
            if (expression.contains(" OR ") || expression.contains("NOT ")) {
                continue;
            }
            Matcher in = IN.matcher(expression);
            while (in.find()) {
                add(hints, in.group(1), new Hint(items(in.group(2)), null, null, null, null));
            }
            Matcher length = LENGTH.matcher(expression);
            while (length.find()) {
                int n = Integer.parseInt(length.group(3));
                Integer lo = null;
                Integer hi = null;
                switch (length.group(2)) {
                    case ">" -> lo = n + 1;
                    case ">=" -> lo = n;
                    case "<" -> hi = n - 1;
                    case "<=" -> hi = n;
                    default -> {
                        lo = n;
                        hi = n;
                    }
                }
                add(hints, length.group(1), new Hint(List.of(), null, null, lo, hi));
            }
            Matcher compare = COMPARE.matcher(LENGTH.matcher(expression).replaceAll("zdm_length"));
            while (compare.find()) {
                BigDecimal n = new BigDecimal(compare.group(3));
                Long lo = null;
                Long hi = null;
                boolean whole = n.stripTrailingZeros().scale() <= 0;
                switch (compare.group(2)) {
                    case ">" -> lo = n.setScale(0, RoundingMode.FLOOR).longValueExact() + 1;
                    case ">=" -> lo = n.setScale(0, RoundingMode.CEILING).longValueExact();
                    case "<" -> hi = whole ? n.longValueExact() - 1 : n.setScale(0, RoundingMode.FLOOR).longValueExact();
                    case "<=" -> hi = n.setScale(0, RoundingMode.FLOOR).longValueExact();
                    default -> {
                        if (whole) {
                            lo = n.longValueExact();
                            hi = lo;
                        }
                    }
                }
                add(hints, compare.group(1), new Hint(List.of(), lo, hi, null, null));
            }
        }
        return hints;
    }

    private static void add(Map<String, Hint> hints, String identifier, Hint hint) {
        String name = identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
        hints.merge(name, hint, Hint::merge);
    }

    /** {@code 'a'::text, 'b'::text} → {@code 'a'}, {@code 'b'}; numbers stay as they are. */
    static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\'') {
                inQuotes = !inQuotes;
            }
            if (c == ',' && !inQuotes) {
                items.add(literal(item.toString()));
                item.setLength(0);
            } else {
                item.append(c);
            }
        }
        if (!item.toString().isBlank()) {
            items.add(literal(item.toString()));
        }
        items.removeIf(each -> each.equalsIgnoreCase("NULL"));
        return items;
    }

    private static String literal(String item) {
        String text = item.strip();
        while (text.startsWith("(") && text.endsWith(")")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        if (text.startsWith("'")) {
            int end = text.lastIndexOf('\'');
            return text.substring(0, end + 1);
        }
        int cast = text.indexOf("::");
        return cast < 0 ? text : text.substring(0, cast).replaceAll("[()]", "");
    }
}
