package dev.zdm.sql;

import java.util.List;
import java.util.Set;

/**
 * Classifies the statements of a migration that are not DDL but that the judge looks at: {@code UPDATE} and
 * {@code DELETE} (whole-table writes, writes under a strong lock) and {@code DO} blocks (which hide what they run).
 *
 * <p>An UPDATE or DELETE is a whole-table write ({@code WHOLE_TABLE}) when it has no WHERE, or a WHERE that compares
 * no column with anything: {@code WHERE true}, {@code WHERE c IS NULL} (the backfill of a column just added).
 */
final class DmlStatements {

    private static final String[] WORDS = { "update", "delete", "do" };
    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "!");
    private static final Set<String> COMPARISON_WORDS = Set.of("in", "between", "like", "ilike", "similar", "any");

    private DmlStatements() {
    }

    static boolean startsWithJudgedWord(String sql) {
        if (sql == null) {
            return false;
        }
        int start = SqlLexer.skipSpaceAndComments(sql, 0);
        for (String word : WORDS) {
            int end = start + word.length();
            if (sql.regionMatches(true, start, word, 0, word.length())
                    && (end >= sql.length() || !SqlLexer.isWordPart(sql.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    /** The classification of an UPDATE, DELETE or DO; {@code null} for anything else. */
    static ClassifiedStatement classify(String sql) {
        if (!startsWithJudgedWord(sql)) {
            return null;
        }
        List<Token> tokens = SqlLexer.tokenize(sql);
        TokenCursor c = new TokenCursor(sql, tokens);
        Token first = c.next();
        if (first.is("do")) {
            return new ClassifiedStatement(sql, StatementKind.DO_BLOCK, null, null, LockLevel.NONE, false, List.of(), Set.of());
        }
        StatementKind kind = first.is("update") ? StatementKind.UPDATE : StatementKind.DELETE;
        if (kind == StatementKind.DELETE) {
            c.accept("from");
        }
        c.accept("only");
        TableName table = c.name();
        boolean whole = true;
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("where")) {
                whole = !limits(c);
                break;
            }
        }
        return new ClassifiedStatement(sql, kind, table, null, LockLevel.ROW_EXCLUSIVE, false, List.of(),
                whole ? Set.of("WHOLE_TABLE") : Set.of());
    }

    /** Whether the WHERE condition (the cursor stands just after WHERE) compares a column with something. */
    private static boolean limits(TokenCursor c) {
        if (c.accept("current", "of")) {
            return true;
        }
        Token previous = null;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.is("returning")) {
                break;
            }
            boolean comparison = t.type() == Token.Type.SYMBOL && COMPARISONS.contains(t.text())
                    || t.type() == Token.Type.WORD && COMPARISON_WORDS.contains(t.identifier());
            if (comparison && (isColumn(previous) || isColumn(c.peek()))) {
                return true;
            }
            previous = t;
        }
        return false;
    }

    private static boolean isColumn(Token t) {
        return t != null && (t.type() == Token.Type.QUOTED || t.type() == Token.Type.WORD
                && !Set.of("true", "false", "null", "not", "and", "or").contains(t.identifier()));
    }
}
