package dev.zdm.sql;

import java.util.List;
import java.util.Optional;

/**
 * The lexical checks every SQL fragment must pass, whatever its kind: one pass over its tokens with zdm's own lexer.
 *
 * <ol>
 *   <li>Not empty; no NUL or other control character.</li>
 *   <li>Every quoted string, quoted identifier and dollar quote is closed (an open one would swallow zdm's SQL after it).</li>
 *   <li>No comment ({@code --} or a block comment): it would hide the rest of zdm's statement.</li>
 *   <li>No dollar-quoted string, no {@code $} parameter, no {@code $zdm$} (which would end the body of zdm's trigger
 *       function).</li>
 *   <li>No {@code ;} outside a string: it would end zdm's statement and start another.</li>
 *   <li>Parentheses and brackets balance and never close one that the fragment did not open (that would close zdm's own
 *       and let more SQL follow).</li>
 *   <li>No data-modifying statement ({@code DELETE FROM}, {@code INSERT INTO}, {@code UPDATE ... SET}, {@code MERGE INTO})
 *       inside, e.g. in a {@code WITH} of a subquery.</li>
 * </ol>
 */
final class FragmentShape {

    /** zdm's trigger functions are written in {@code $zdm$ ... $zdm$}; a value holding it would end the body. */
    static final String ZDM_DOLLAR_QUOTE = "$zdm$";

    private FragmentShape() {
    }

    /** The fragment's tokens, or the first problem found. */
    static Result of(String value) {
        if (value.isBlank()) {
            return Result.problem("it is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return Result.problem("it holds the control character U+" + String.format("%04X", (int) c));
            }
        }
        List<Token> tokens = SqlLexer.tokenize(value + "\n");
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).end() > value.length()) {
            return Result.problem("it opens a quoted string, quoted identifier or dollar quote at offset "
                    + tokens.get(tokens.size() - 1).start() + " and never closes it, so it would swallow the SQL zdm writes"
                    + " after it");
        }
        Optional<String> problem = comment(value, tokens);
        if (problem.isEmpty()) {
            problem = dollars(value, tokens);
        }
        if (problem.isEmpty()) {
            problem = structure(tokens);
        }
        if (problem.isEmpty()) {
            problem = dataModifying(tokens);
        }
        return problem.isPresent() ? Result.problem(problem.get()) : new Result(tokens, null);
    }

    private static Optional<String> comment(String value, List<Token> tokens) {
        int from = 0;
        for (Token token : tokens) {
            if (!value.substring(from, Math.min(token.start(), value.length())).isBlank()) {
                return Optional.of("it holds a comment (-- or /* */) at offset " + from + ", which would hide the rest of"
                        + " zdm's statement");
            }
            from = Math.min(token.end(), value.length());
        }
        if (!value.substring(from).isBlank()) {
            return Optional.of("it holds a comment (-- or /* */) at offset " + from + ", which would hide the rest of zdm's"
                    + " statement");
        }
        return Optional.empty();
    }

    private static Optional<String> dollars(String value, List<Token> tokens) {
        for (Token token : tokens) {
            if (token.type() == Token.Type.STRING && value.charAt(token.start()) == '$') {
                return Optional.of("it holds a dollar-quoted string at offset " + token.start() + "; write a plain"
                        + " 'quoted' string instead");
            }
            if (token.isSymbol("$")) {
                return Optional.of("it holds a '$' at offset " + token.start() + " outside a string (a parameter or the"
                        + " start of a dollar quote)");
            }
        }
        if (value.contains(ZDM_DOLLAR_QUOTE)) {
            return Optional.of("it holds " + ZDM_DOLLAR_QUOTE + ", which would end the body of zdm's trigger function");
        }
        return Optional.empty();
    }

    private static Optional<String> structure(List<Token> tokens) {
        int parens = 0;
        int brackets = 0;
        for (Token token : tokens) {
            if (token.isSymbol(";")) {
                return Optional.of("it holds a ';' at offset " + token.start() + ", which would end zdm's statement and start"
                        + " another");
            } else if (token.isSymbol("(")) {
                parens++;
            } else if (token.isSymbol("[")) {
                brackets++;
            } else if (token.isSymbol(")") && --parens < 0) {
                return Optional.of("it closes a parenthesis it did not open at offset " + token.start() + ", which would"
                        + " close zdm's own and let more SQL follow");
            } else if (token.isSymbol("]") && --brackets < 0) {
                return Optional.of("it closes a bracket it did not open at offset " + token.start());
            }
        }
        if (parens != 0 || brackets != 0) {
            return Optional.of("it leaves " + (parens != 0 ? "a parenthesis" : "a bracket") + " open");
        }
        return Optional.empty();
    }

    private static Optional<String> dataModifying(List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean writes = (t.is("delete") && tokens.get(i + 1).is("from")) || (t.is("insert") && tokens.get(i + 1).is("into"))
                    || (t.is("merge") && tokens.get(i + 1).is("into")) || (t.is("update") && updateSet(tokens, i));
            if (writes) {
                return Optional.of("it holds a data-modifying statement (" + t.text().toUpperCase(java.util.Locale.ROOT) + " "
                        + tokens.get(i + 1).text() + " ... at offset " + t.start() + "), which would write whenever zdm"
                        + " evaluates it");
            }
        }
        return Optional.empty();
    }

    /** {@code UPDATE [ONLY] name [[AS] alias] SET}. */
    private static boolean updateSet(List<Token> tokens, int at) {
        for (int i = at + 1; i < Math.min(tokens.size(), at + 7); i++) {
            if (tokens.get(i).is("set")) {
                return true;
            }
            if (!tokens.get(i).isName() && !tokens.get(i).isSymbol(".")) {
                return false;
            }
        }
        return false;
    }

    /** The tokens of a well-shaped fragment, or why it is not one. */
    record Result(List<Token> tokens, String problem) {

        static Result problem(String problem) {
            return new Result(List.of(), problem);
        }

        boolean ok() {
            return problem == null;
        }
    }
}
