package dev.zdm.lint;

/**
 * One finding of the lint, in the JSON contract's fields.
 *
 * @param changeSet the changeset's id
 * @param author its author
 * @param file its changelog file, relative to the changelog root
 * @param line the line of the changeset in that file (1 when unknown)
 * @param rule the rule id
 * @param severity {@code error}, {@code warning} or {@code info}
 * @param message what is wrong and what to do instead
 * @param sql the statement it is about, or {@code null}
 */
public record LintFinding(String changeSet, String author, String file, int line, String rule, Severity severity, String message,
        String sql) {

    private static final String INSTEAD = " Instead: ";

    /** The message without its rule id and its fix: what is wrong. */
    public String problem() {
        String text = message.replace("[" + rule + "] ", "");
        int instead = text.lastIndexOf(INSTEAD);
        return instead < 0 ? text : text.substring(0, instead);
    }

    /** What to do instead, or {@code null} when the message names no fix. */
    public String fix() {
        int instead = message.lastIndexOf(INSTEAD);
        return instead < 0 ? null : message.substring(instead + INSTEAD.length());
    }

    /** How bad a finding is; only errors fail the lint. */
    public enum Severity {
        ERROR, WARNING, INFO;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
