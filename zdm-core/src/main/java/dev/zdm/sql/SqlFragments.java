package dev.zdm.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The lexical check of an attribute that zdm writes into its SQL: is it one piece of the kind it must be
 * ({@link Fragment})? Framework-free and without a database, so the Liquibase changes ({@code validate}), the Java API
 * ({@code JobDefinition}, {@code ConcurrentIndexBuild}, {@code MirrorSql.Spec}) and the lint all use the same rules.
 * Where a database is at hand, {@link ServerFragments} then asks PostgreSQL itself.
 */
public final class SqlFragments {

    /** Reserved words that end a scalar expression; at its top level they would continue zdm's statement. */
    private static final Set<String> CLAUSE_WORDS = Set.of("select", "from", "where", "group", "having", "order", "limit",
            "offset", "union", "intersect", "except", "returning", "into", "window", "fetch", "values", "table", "for",
            "using", "on", "include", "tablespace");

    /** Functions that are not immutable: PostgreSQL refuses them in an index predicate or expression. */
    private static final Set<String> NOT_IMMUTABLE = Set.of("random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7",
            "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval", "setval",
            "currval", "lastval", "txid_current", "pg_current_xact_id", "now", "statement_timestamp", "transaction_timestamp",
            "current_setting", "set_config", "pg_sleep", "current_date", "current_time", "current_timestamp", "localtime",
            "localtimestamp");

    private static final Set<String> CONSTRAINT_STARTS = Set.of("check", "foreign", "unique", "primary", "exclude");

    private SqlFragments() {
    }

    /** The problem with {@code value} as {@code expected}; empty when it is fine or absent ({@code null}). */
    public static Optional<FragmentProblem> check(String attribute, String value, Fragment expected) {
        if (value == null) {
            return Optional.empty();
        }
        return problem(expected, value).map(problem -> new FragmentProblem(attribute, value, expected, problem));
    }

    /**
     * Throws unless {@code value} is absent or one {@code expected}.
     *
     * @param context who asks, for the message, e.g. {@code backfill job file.size_zdm on table file}
     */
    public static void require(String context, String attribute, String value, Fragment expected) {
        Optional<FragmentProblem> problem = check(attribute, value, expected);
        if (problem.isPresent()) {
            throw new SqlFragmentException(context, problem.get());
        }
    }

    /** {@code value}, after {@link #require}: for splicing it where it is checked. */
    public static String checked(String context, String attribute, String value, Fragment expected) {
        require(context, attribute, value, expected);
        return value;
    }

    private static Optional<String> problem(Fragment expected, String value) {
        switch (expected) {
            case IDENTIFIER:
                return identifier(value);
            case TABLE:
                return table(value);
            case COLUMN_LIST:
                return columnList(value);
            case INDEX_METHOD:
                return value.matches("[A-Za-z_][A-Za-z0-9_]{0,62}") ? Optional.empty()
                        : Optional.of("an index method is one plain name (letters, digits, '_')");
            case TYPE_NAME:
                return shaped(value).or(() -> TypeNameShape.problem(FragmentShape.of(value).tokens()));
            case EXPRESSION:
            case PREDICATE:
                return shaped(value).or(() -> scalar(FragmentShape.of(value).tokens(), false));
            case INDEX_PREDICATE:
                return shaped(value).or(() -> scalar(FragmentShape.of(value).tokens(), true));
            case INDEX_COLUMNS:
                return shaped(value).or(() -> indexColumns(FragmentShape.of(value).tokens()));
            case CONSTRAINT_DEFINITION:
                return shaped(value).or(() -> startsWith(FragmentShape.of(value).tokens(), CONSTRAINT_STARTS));
            case INDEX_STATEMENT:
                return shaped(value).or(() -> indexStatement(FragmentShape.of(value).tokens()));
            default:
                throw new IllegalArgumentException(expected.name());
        }
    }

    private static Optional<String> shaped(String value) {
        return Optional.ofNullable(FragmentShape.of(value).problem());
    }

    private static Optional<String> identifier(String value) {
        if (value.isBlank()) {
            return Optional.of("it is empty");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > 63) {
            return Optional.of("it is longer than PostgreSQL's 63-byte limit for names");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return Optional.of("it holds a control character (U+" + String.format("%04X", (int) value.charAt(i)) + ")");
            }
        }
        if (value.contains(";") || value.contains("--") || value.contains("/*")) {
            return Optional.of("it holds " + (value.contains(";") ? "a ';'" : "a comment marker") + "; zdm quotes names, so"
                    + " this would name an object nobody has (is it SQL written into the wrong attribute?)");
        }
        return Optional.empty();
    }

    /** A table as zdm stores it: SQL text when it holds a dot or starts with a quote, else a plain identifier. */
    private static Optional<String> table(String value) {
        if (value.indexOf('.') < 0 && !value.startsWith("\"")) {
            return identifier(value);
        }
        Optional<String> shape = shaped(value);
        if (shape.isPresent()) {
            return shape;
        }
        List<Token> tokens = FragmentShape.of(value).tokens();
        boolean name = (tokens.size() == 1 && tokens.get(0).isName())
                || (tokens.size() == 3 && tokens.get(0).isName() && tokens.get(1).isSymbol(".") && tokens.get(2).isName());
        return name ? Optional.empty() : Optional.of("it is not a name or schema.name");
    }

    private static Optional<String> columnList(String value) {
        String[] parts = value.split(",", -1);
        for (String part : parts) {
            if (part.isBlank()) {
                return Optional.of("it has an empty element (two commas, or one at an end)");
            }
            Optional<String> problem = identifier(part.strip());
            if (problem.isPresent()) {
                return Optional.of("column '" + part.strip() + "': " + problem.get());
            }
        }
        return Optional.empty();
    }

    /** One expression: no top-level comma or clause word; for an index also no subquery and only immutable calls. */
    private static Optional<String> scalar(List<Token> tokens, boolean forIndex) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (token.is("from") && i > 0 && tokens.get(i - 1).is("distinct")) {
                continue; // IS [NOT] DISTINCT FROM
            } else if (depth == 0 && token.isSymbol(",")) {
                return Optional.of("it holds a ',' at offset " + token.start() + " outside parentheses, so it is a list, not"
                        + " one expression");
            } else if (depth == 0 && token.type() == Token.Type.WORD && CLAUSE_WORDS.contains(lower(token))) {
                return Optional.of("it holds " + token.text().toUpperCase(Locale.ROOT) + " at offset " + token.start()
                        + " outside parentheses, which would continue zdm's statement (write a subquery in its own"
                        + " parentheses)");
            }
        }
        return forIndex ? indexSafe(tokens) : Optional.empty();
    }

    private static Optional<String> indexSafe(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("select") || token.is("values") || (token.isSymbol("(") && i + 1 < tokens.size()
                    && (tokens.get(i + 1).is("with") || tokens.get(i + 1).is("table")))) {
                return Optional.of("it holds a subquery at offset " + token.start() + "; PostgreSQL allows none in an index");
            }
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
            boolean sqlValueFunction = token.type() == Token.Type.WORD && lower(token).startsWith("current_")
                    || token.is("localtime") || token.is("localtimestamp");
            if (token.isName() && (call || sqlValueFunction) && NOT_IMMUTABLE.contains(lower(token))) {
                return Optional.of("it calls " + lower(token) + " at offset " + token.start() + ", which is not immutable;"
                        + " PostgreSQL allows only immutable functions in an index");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> indexColumns(List<Token> tokens) {
        List<List<Token>> elements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token token : tokens) {
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            }
            if (depth == 0 && token.isSymbol(",")) {
                elements.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        elements.add(current);
        for (List<Token> element : elements) {
            if (element.isEmpty()) {
                return Optional.of("it has an empty element (two commas, or one at an end)");
            }
            Optional<String> problem = scalar(element, true);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> startsWith(List<Token> tokens, Set<String> words) {
        return tokens.get(0).type() == Token.Type.WORD && words.contains(lower(tokens.get(0))) ? Optional.empty()
                : Optional.of("it starts with '" + tokens.get(0).text() + "', not one of " + words);
    }

    private static Optional<String> indexStatement(List<Token> tokens) {
        int i = 0;
        boolean create = tokens.get(i++).is("create");
        if (i < tokens.size() && tokens.get(i).is("unique")) {
            i++;
        }
        boolean index = create && i + 1 < tokens.size() && tokens.get(i).is("index") && tokens.get(i + 1).is("concurrently");
        return index ? Optional.empty() : Optional.of("it does not start with CREATE [UNIQUE] INDEX CONCURRENTLY");
    }

    private static String lower(Token token) {
        return token.text().toLowerCase(Locale.ROOT);
    }
}
