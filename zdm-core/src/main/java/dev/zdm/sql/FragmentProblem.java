package dev.zdm.sql;

/**
 * An attribute value that is not what zdm writes it into its SQL as.
 *
 * @param attribute the attribute's name, e.g. {@code where}
 * @param value the value as given
 * @param expected what it must be
 * @param problem what is wrong with it, e.g. "it holds a ';' at offset 13, which would end zdm's statement and start another"
 */
public record FragmentProblem(String attribute, String value, Fragment expected, String problem) {

    /** {@code attribute where: 'x; y' is not ...: <problem>. Write ... (e.g. ...)}: the attribute, the value, the rule, the fix. */
    public String describe() {
        return "attribute " + attribute + ": '" + value + "' is not " + expected.what() + ": " + problem + ". Write "
                + expected.what() + " (e.g. " + expected.example() + "); zdm runs nothing of a change whose attributes"
                + " would smuggle SQL into its statements";
    }

    /** {@link #describe()} with the table first. */
    public String describe(String table) {
        return (table == null ? "" : "table " + table + ", ") + describe();
    }
}
