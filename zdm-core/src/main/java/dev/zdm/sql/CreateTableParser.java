package dev.zdm.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the column list of {@code CREATE TABLE name (...)}: column names and types, and CHECK constraints. */
public final class CreateTableParser {

    private static final Set<String> TABLE_CONSTRAINTS = Set.of("constraint", "primary", "unique", "check", "foreign",
            "exclude", "like");

    private CreateTableParser() {
    }

    /**
     * @param columns name → type as written, in order
     * @param checks the CHECK expressions (table and column constraints)
     */
    public record Table(Map<String, String> columns, List<String> checks, java.util.Set<String> notNull,
            Map<String, String> collations) {
        public Table(Map<String, String> columns, List<String> checks) {
            this(columns, checks, new java.util.HashSet<>(), new LinkedHashMap<>());
        }
    }

    public static Table parse(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> checks = new ArrayList<>();
        java.util.Set<String> notNull = new java.util.HashSet<>();
        Map<String, String> collations = new LinkedHashMap<>();
        int open = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol("(")) {
                open = i;
                break;
            }
            if (tokens.get(i).is("as") || tokens.get(i).is("partition")) {
                return new Table(columns, checks); // CREATE TABLE ... AS / PARTITION OF: no column list here
            }
        }
        if (open < 0) {
            return new Table(columns, checks);
        }
        TokenCursor c = new TokenCursor(sql, tokens.subList(open + 1, tokens.size()));
        while (!c.atEnd() && !c.peekIsSymbol(")")) {
            Token first = c.peek();
            if (first.type() == Token.Type.WORD && TABLE_CONSTRAINTS.contains(first.text().toLowerCase(Locale.ROOT))) {
                String item = c.until(Set.of());
                collectChecks(item, checks);
            } else {
                String name = c.identifier();
                String type = c.until(Set.of("constraint", "not", "null", "default", "check", "unique", "primary",
                        "references", "generated", "collate"));
                String rest = c.until(Set.of());
                if (name != null && type != null) {
                    columns.put(name, type.strip());
                    String lower = rest == null ? "" : rest.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
                    if (lower.contains("not null") || lower.contains("primary key")) {
                        notNull.add(name);
                    }
                    TokenCursor r = new TokenCursor(rest == null ? "" : rest, SqlLexer.tokenize(rest == null ? "" : rest));
                    if (r.accept("collate")) {
                        TableName collation = r.name();
                        if (collation != null) {
                            collations.put(name, collation.name());
                        }
                    }
                }
                collectChecks(rest, checks);
            }
            if (!c.acceptSymbol(",")) {
                break;
            }
        }
        return new Table(columns, checks, notNull, collations);
    }

    private static void collectChecks(String text, List<String> checks) {
        if (text == null) {
            return;
        }
        TokenCursor c = new TokenCursor(text, SqlLexer.tokenize(text));
        while (!c.atEnd()) {
            if (c.accept("check")) {
                String expression = c.group();
                if (expression != null) {
                    checks.add(expression);
                }
            } else {
                c.next();
            }
        }
    }
}
