package dev.zdm.rehearse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Table names as {@link TableFill#table()} and {@link ProductionStats} spell them: {@code schema.table}, each part
 * quoted only where PostgreSQL needs it; a bare name is in {@code public}.
 */
final class TableNames {

    private TableNames() {
    }

    /** {@code file} → {@code public.file}; {@code "public"."file"} → {@code public.file}; {@code Public.File} → {@code public.file}. */
    static String normalize(String name) {
        List<String> parts = split(name.strip());
        if (parts.size() == 1) {
            parts.add(0, "public");
        }
        List<String> quoted = new ArrayList<>();
        for (String part : parts) {
            quoted.add(quote(part));
        }
        return String.join(".", quoted);
    }

    /** The name's parts without quotes, joined by a NUL: equal for every spelling of one table. */
    static String canonical(String name) {
        List<String> parts = split(name.strip());
        if (parts.size() == 1) {
            parts.add(0, "public");
        }
        return String.join("\u0000", parts);
    }

    /** Quotes an identifier only where needed, as {@code quote_ident} does (keywords aside). */
    static String quote(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_$]*")) {
            return identifier;
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Splits at dots outside double quotes; unquoted parts fold to lower case, quoted ones lose their quotes. */
    private static List<String> split(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean inQuotes = false;
        boolean wasQuoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                if (inQuotes && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    inQuotes = !inQuotes;
                    wasQuoted = true;
                }
            } else if (c == '.' && !inQuotes) {
                parts.add(wasQuoted ? part.toString() : part.toString().toLowerCase(Locale.ROOT));
                part.setLength(0);
                wasQuoted = false;
            } else {
                part.append(c);
            }
        }
        parts.add(wasQuoted ? part.toString() : part.toString().toLowerCase(Locale.ROOT));
        return parts;
    }
}
