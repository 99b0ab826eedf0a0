package dev.zdm.sql;

import java.util.List;

/** Token-level rewrites of SQL expressions (never inside strings, quoted names of other things, or function names). */
public final class SqlRewrite {

    private SqlRewrite() {
    }

    /**
     * Replaces every reference to column {@code identifier} in {@code text} with {@code replacement}: unqualified name
     * tokens equal to it that are not followed by {@code (} (a function) nor preceded by {@code .} (another relation's).
     */
    public static String replaceColumn(String text, String identifier, String replacement) {
        List<Token> tokens = SqlLexer.tokenize(text);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean qualified = i > 0 && tokens.get(i - 1).isSymbol(".");
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
            if (token.isName() && token.identifier().equals(identifier) && !qualified && !call) {
                out.append(text, copied, token.start()).append(replacement);
                copied = token.end();
            }
        }
        return out.append(text.substring(copied)).toString();
    }
}
