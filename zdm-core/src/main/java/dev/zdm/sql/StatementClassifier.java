package dev.zdm.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Classifies PostgreSQL statements for the safety rules.
 *
 * <p>The first word decides most of it: {@link #mayBeDdl(String)} looks at it without allocating, so
 * the JDBC guard pays next to nothing for DML. Only DDL is tokenized and parsed.
 */
public final class StatementClassifier {

    private static final String[] DDL_WORDS = { "create", "alter", "drop", "truncate", "vacuum", "analyze", "analyse",
            "cluster", "reindex", "refresh", "lock", "comment", "grant", "revoke" };

    private StatementClassifier() {
    }

    /**
     * Whether {@code sql} may contain DDL: its first word is a DDL word, or it holds more than one
     * statement. Allocation-free; false means "certainly not DDL".
     */
    public static boolean mayBeDdl(String sql) {
        if (sql == null) {
            return false;
        }
        int start = SqlLexer.skipSpaceAndComments(sql, 0);
        int end = start;
        while (end < sql.length() && SqlLexer.isWordPart(sql.charAt(end))) {
            end++;
        }
        int length = end - start;
        if (length > 0) {
            char first = Character.toLowerCase(sql.charAt(start));
            for (String word : DDL_WORDS) {
                if (word.charAt(0) == first && word.length() == length && sql.regionMatches(true, start, word, 0, length)) {
                    return true;
                }
            }
        }
        int semicolon = sql.indexOf(';', end);
        return semicolon >= 0 && SqlLexer.skipSpaceAndComments(sql, semicolon + 1) < sql.length();
    }

    /** Classifies every statement of a script (split on top-level semicolons). */
    public static List<ClassifiedStatement> classifyAll(String sql) {
        if (!mayBeDdl(sql)) {
            return List.of(ClassifiedStatement.NOT_DDL);
        }
        List<ClassifiedStatement> result = new ArrayList<>();
        for (String statement : SqlLexer.splitStatements(sql)) {
            result.add(classify(statement));
        }
        return result;
    }

    /**
     * Classifies every statement of a script run by a migration: DDL as {@link #classifyAll}, and also UPDATE,
     * DELETE and DO, which the judge looks at in migrations only.
     */
    public static List<ClassifiedStatement> classifyAllInMigration(String sql) {
        List<ClassifiedStatement> result = new ArrayList<>();
        for (String statement : SqlLexer.splitStatements(sql)) {
            result.add(classifyInMigration(statement));
        }
        return result;
    }

    /** Classifies one statement of a migration: {@link #classify}, and UPDATE, DELETE and DO too. */
    public static ClassifiedStatement classifyInMigration(String sql) {
        ClassifiedStatement dml = DmlStatements.classify(sql);
        return dml != null ? dml : classify(sql);
    }

    /** Whether a migration's SQL string may hold something the judge looks at (DDL, UPDATE, DELETE, DO). */
    public static boolean mayBeJudgedInMigration(String sql) {
        return mayBeDdl(sql) || DmlStatements.startsWithJudgedWord(sql);
    }

    /** Classifies one statement. */
    public static ClassifiedStatement classify(String sql) {
        if (!mayBeDdl(sql)) {
            return ClassifiedStatement.NOT_DDL;
        }
        TokenCursor c = new TokenCursor(sql, SqlLexer.tokenize(sql));
        Token first = c.next();
        if (first == null) {
            return ClassifiedStatement.NOT_DDL;
        }
        return switch (first.text().toLowerCase(Locale.ROOT)) {
            case "alter" -> alter(sql, c);
            case "create" -> create(sql, c);
            case "drop" -> drop(sql, c);
            case "truncate" -> {
                c.accept("table");
                yield many(sql, StatementKind.TRUNCATE, c.names(), LockLevel.ACCESS_EXCLUSIVE, Set.of());
            }
            case "vacuum" -> vacuum(sql, c);
            case "analyze", "analyse" -> {
                c.accept("verbose");
                c.group();
                yield simple(sql, StatementKind.ANALYZE, c.name(), LockLevel.SHARE_UPDATE_EXCLUSIVE);
            }
            case "cluster" -> {
                c.accept("verbose");
                c.group();
                yield simple(sql, StatementKind.CLUSTER, c.name(), LockLevel.ACCESS_EXCLUSIVE);
            }
            case "reindex" -> reindex(sql, c);
            case "refresh" -> refresh(sql, c);
            case "lock" -> lock(sql, c);
            case "comment", "grant", "revoke" -> other(sql, null, LockLevel.SHARE_UPDATE_EXCLUSIVE);
            default -> ClassifiedStatement.NOT_DDL; // DML whose text merely holds a ';'
        };
    }

    private static ClassifiedStatement alter(String sql, TokenCursor c) {
        if (c.accept("table")) {
            return AlterTableParser.parse(sql, c);
        }
        if (c.accept("sequence")) {
            c.accept("if", "exists");
            return simple(sql, StatementKind.ALTER_SEQUENCE, c.name(), LockLevel.SHARE_ROW_EXCLUSIVE);
        }
        if (c.accept("index")) {
            c.accept("if", "exists");
            TableName index = c.name();
            Set<String> flags = c.accept("set", "tablespace") ? Set.of("TABLESPACE") : Set.of();
            return new ClassifiedStatement(sql, StatementKind.ALTER_INDEX, null, index == null ? null : index.sql(),
                    LockLevel.ACCESS_EXCLUSIVE, false, List.of(), flags);
        }
        if (c.accept("domain")) {
            return DomainStatements.alter(sql, c);
        }
        return other(sql, null, LockLevel.ACCESS_EXCLUSIVE);
    }

    private static ClassifiedStatement create(String sql, TokenCursor c) {
        Set<String> flags = new HashSet<>();
        c.accept("or", "replace");
        if (c.accept("unique")) {
            flags.add("UNIQUE");
        }
        if (c.accept("index")) {
            boolean concurrently = c.accept("concurrently");
            c.accept("if", "not", "exists");
            String indexName = c.peekIs("on") ? null : c.identifier();
            c.accept("on");
            c.accept("only");
            TableName table = c.name();
            return new ClassifiedStatement(sql, StatementKind.CREATE_INDEX, table, indexName,
                    concurrently ? LockLevel.SHARE_UPDATE_EXCLUSIVE : LockLevel.SHARE, concurrently, List.of(), flags);
        }
        for (String modifier : List.of("global", "local", "temporary", "temp", "unlogged")) {
            if (c.accept(modifier)) {
                flags.add(modifier.toUpperCase(Locale.ROOT).replace("TEMPORARY", "TEMP"));
            }
        }
        if (c.accept("table")) {
            c.accept("if", "not", "exists");
            TableName table = c.name();
            while (!c.atEnd()) {
                Token t = c.next();
                if (t.is("as") || t.is("select")) {
                    flags.add("AS"); // CREATE TABLE ... AS: created with rows
                }
                if (t.isSymbol("(")) {
                    break;
                }
            }
            return new ClassifiedStatement(sql, StatementKind.CREATE_TABLE, table, null, LockLevel.NONE, false, List.of(), flags);
        }
        if (c.accept("domain")) {
            return DomainStatements.create(sql, c);
        }
        c.accept("constraint");
        if (c.accept("trigger")) {
            String trigger = c.identifier();
            TableName table = null;
            while (!c.atEnd()) {
                if (c.next().is("on")) {
                    table = c.name();
                    break;
                }
            }
            return new ClassifiedStatement(sql, StatementKind.CREATE_TRIGGER, table, trigger, LockLevel.SHARE_ROW_EXCLUSIVE,
                    false, List.of(), flags);
        }
        return other(sql, null, LockLevel.NONE);
    }

    private static ClassifiedStatement drop(String sql, TokenCursor c) {
        if (c.accept("index")) {
            boolean concurrently = c.accept("concurrently");
            c.accept("if", "exists");
            TableName index = c.name();
            return new ClassifiedStatement(sql, StatementKind.DROP_INDEX, null, index == null ? null : index.sql(),
                    concurrently ? LockLevel.SHARE_UPDATE_EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE, concurrently, List.of(),
                    Set.of());
        }
        if (c.accept("table")) {
            c.accept("if", "exists");
            return many(sql, StatementKind.DROP_TABLE, c.names(), LockLevel.ACCESS_EXCLUSIVE, Set.of());
        }
        for (String object : List.of("type", "domain", "schema", "extension")) {
            if (c.accept(object)) {
                c.accept("if", "exists");
                TableName name = c.name();
                boolean cascade = false;
                while (!c.atEnd()) {
                    cascade |= c.next().is("cascade");
                }
                Set<String> flags = cascade ? Set.of("CASCADE", object.toUpperCase(Locale.ROOT))
                        : Set.of(object.toUpperCase(Locale.ROOT));
                return new ClassifiedStatement(sql, StatementKind.DROP_OBJECT, null, name == null ? null : name.sql(),
                        LockLevel.ACCESS_EXCLUSIVE, false, List.of(), flags);
            }
        }
        if (c.accept("trigger")) {
            c.accept("if", "exists");
            String trigger = c.identifier();
            c.accept("on");
            return new ClassifiedStatement(sql, StatementKind.DROP_TRIGGER, c.name(), trigger, LockLevel.ACCESS_EXCLUSIVE,
                    false, List.of(), Set.of());
        }
        return other(sql, null, LockLevel.ACCESS_EXCLUSIVE);
    }

    private static ClassifiedStatement vacuum(String sql, TokenCursor c) {
        Set<String> flags = new HashSet<>();
        String options = c.group();
        if (options != null) {
            for (String option : options.split(",")) {
                String[] words = option.strip().toLowerCase(Locale.ROOT).replace("'", "").split("\\s+");
                if (words[0].equals("full") && (words.length == 1 || !isFalse(words[1]))) {
                    flags.add("FULL");
                }
            }
        }
        while (c.peek() != null && c.peek().type() == Token.Type.WORD
                && List.of("full", "freeze", "verbose", "analyze", "analyse").contains(c.peek().text().toLowerCase(Locale.ROOT))) {
            if (c.next().is("full")) {
                flags.add("FULL");
            }
        }
        return many(sql, StatementKind.VACUUM, c.names(),
                flags.contains("FULL") ? LockLevel.ACCESS_EXCLUSIVE : LockLevel.SHARE_UPDATE_EXCLUSIVE, flags);
    }

    /** PostgreSQL's false spellings of a boolean option (defGetBoolean). */
    static boolean isFalse(String value) {
        return List.of("false", "off", "0").contains(value);
    }

    private static ClassifiedStatement many(String sql, StatementKind kind, List<TableName> tables, LockLevel level,
            Set<String> flags) {
        return new ClassifiedStatement(sql, kind, tables.isEmpty() ? null : tables.get(0), null, level, false, List.of(), flags,
                List.copyOf(tables));
    }

    private static ClassifiedStatement reindex(String sql, TokenCursor c) {
        String options = c.group();
        boolean concurrently = false;
        if (options != null) {
            for (String option : options.split(",")) {
                String[] words = option.strip().toLowerCase(Locale.ROOT).replace("'", "").split("\\s+");
                concurrently |= words[0].equals("concurrently") && (words.length == 1 || !isFalse(words[1]));
            }
        }
        Set<String> flags = new HashSet<>();
        Token what = c.next();
        if (what != null) {
            flags.add(what.text().toUpperCase(Locale.ROOT));
        }
        concurrently |= c.accept("concurrently");
        TableName target = c.name();
        boolean table = what != null && what.is("table");
        return new ClassifiedStatement(sql, StatementKind.REINDEX, table ? target : null, table || target == null ? null : target.sql(),
                concurrently ? LockLevel.SHARE_UPDATE_EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE, concurrently, List.of(), flags);
    }

    private static ClassifiedStatement refresh(String sql, TokenCursor c) {
        if (!c.accept("materialized", "view")) {
            return other(sql, null, LockLevel.ACCESS_EXCLUSIVE);
        }
        boolean concurrently = c.accept("concurrently");
        return new ClassifiedStatement(sql, StatementKind.REFRESH_MATERIALIZED_VIEW, c.name(), null,
                concurrently ? LockLevel.EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE, concurrently, List.of(), Set.of());
    }

    private static ClassifiedStatement lock(String sql, TokenCursor c) {
        c.accept("table");
        c.accept("only");
        TableName table = c.name();
        LockLevel level = LockLevel.ACCESS_EXCLUSIVE;
        while (!c.atEnd()) {
            if (c.next().is("in")) {
                StringBuilder mode = new StringBuilder();
                while (!c.atEnd() && !c.peekIs("mode")) {
                    mode.append(c.next().text()).append(' ');
                }
                try {
                    level = LockLevel.parse(mode.toString());
                } catch (IllegalArgumentException unknownMode) {
                    level = LockLevel.ACCESS_EXCLUSIVE;
                }
                break;
            }
        }
        return simple(sql, StatementKind.LOCK_TABLE, table, level);
    }

    static ClassifiedStatement simple(String sql, StatementKind kind, TableName table, LockLevel level) {
        return new ClassifiedStatement(sql, kind, table, null, level, false, List.of(), Set.of());
    }

    static ClassifiedStatement other(String sql, TableName table, LockLevel level) {
        return new ClassifiedStatement(sql, StatementKind.OTHER_DDL, table, null, level, false, List.of(), Set.of());
    }
}
