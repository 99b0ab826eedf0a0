package dev.zdm.sql;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Whether an expression (a column default) is volatile, so that ADD COLUMN must write it into every row. */
final class Volatility {

    /** Built-in and common extension functions that are volatile. {@code now()} is stable, not here. */
    private static final Set<String> VOLATILE = Set.of("random", "random_normal", "gen_random_uuid", "uuidv4", "uuidv7",
            "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval",
            "setval", "txid_current", "pg_current_xact_id", "currval", "lastval");

    private Volatility() {
    }

    /** The first volatile function called in {@code expression}, if any. */
    static Optional<String> firstVolatileCall(String expression, SchemaFacts facts) {
        if (expression == null) {
            return Optional.empty();
        }
        var tokens = SqlLexer.tokenize(expression);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isName() && tokens.get(i + 1).isSymbol("(")) {
                String name = t.identifier().toLowerCase(Locale.ROOT);
                if (VOLATILE.contains(name) || facts.isVolatileFunction(name).orElse(false)) {
                    return Optional.of(name + "()");
                }
            }
        }
        return Optional.empty();
    }
}
