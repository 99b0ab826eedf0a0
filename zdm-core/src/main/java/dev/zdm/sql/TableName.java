package dev.zdm.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * A possibly schema-qualified relation name, folded as PostgreSQL folds it.
 *
 * @param schema the schema, or {@code null} when the name was not qualified
 * @param name the relation's name
 */
public record TableName(String schema, String name) {

    public TableName {
        Objects.requireNonNull(name, "name");
    }

    /** Parses {@code name} or {@code schema.name} as written in SQL (quotes allowed). */
    public static TableName parse(String sql) {
        var tokens = SqlLexer.tokenize(sql);
        if (tokens.size() == 1 && tokens.get(0).isName()) {
            return new TableName(null, tokens.get(0).identifier());
        }
        if (tokens.size() == 3 && tokens.get(0).isName() && tokens.get(1).isSymbol(".") && tokens.get(2).isName()) {
            return new TableName(tokens.get(0).identifier(), tokens.get(2).identifier());
        }
        throw new IllegalArgumentException("Not a table name: " + sql);
    }

    /** The name as SQL text, quoted where PostgreSQL needs quotes. */
    public String sql() {
        return (schema == null ? "" : quote(schema) + ".") + quote(name);
    }

    /**
     * A table name as zdm stores it, as SQL text: the stored form is SQL text already (possibly schema-qualified,
     * {@code public.file}, {@code "Sales"."Order"}) when it holds a dot or a quote; a bare identifier (older records,
     * the Java API) is quoted where needed.
     */
    public static String sqlOf(String stored) {
        return stored.indexOf('.') >= 0 || stored.startsWith("\"") ? stored : quote(stored);
    }

    /** Quotes an identifier unless it is a plain lowercase name. */
    public static String quote(String identifier) {
        boolean plain = !identifier.isEmpty() && (Character.isLowerCase(identifier.charAt(0)) || identifier.charAt(0) == '_');
        for (int i = 0; plain && i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }
        if (plain && !Keywords.isReserved(identifier)) {
            return identifier;
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Whether this names the same relation as {@code other}, treating an unqualified name as any schema's. */
    public boolean matches(TableName other) {
        return name.equals(other.name) && (schema == null || other.schema == null || schema.equals(other.schema));
    }

    @Override
    public String toString() {
        return sql();
    }

    /** Reserved words that must be quoted as identifiers (the ones likely as column or table names). */
    static final class Keywords {
        private static final java.util.Set<String> RESERVED = java.util.Set.of("all", "analyse", "analyze", "and", "any",
                "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate", "column", "constraint",
                "create", "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
                "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
                "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
                "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or",
                "order", "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric",
                "system_user", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic",
                "when", "where", "window", "with",
                // type/function-name and column-name keywords: quote_ident quotes them too
                "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full", "ilike",
                "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps", "right", "similar",
                "tablesample", "verbose", "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec",
                "decimal", "exists", "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval", "json",
                "least", "national", "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay", "position",
                "precision", "real", "row", "setof", "smallint", "substring", "time", "timestamp", "treat", "trim", "values",
                "varchar", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse",
                "xmlpi", "xmlroot", "xmlserialize", "xmltable");

        private Keywords() {
        }

        static boolean isReserved(String word) {
            return RESERVED.contains(word.toLowerCase(Locale.ROOT));
        }
    }
}
