package dev.zdm.sql;

/**
 * A rule that a statement breaks.
 *
 * @param rule the rule
 * @param table the table concerned, or {@code null}
 * @param column the column concerned, or {@code null}
 * @param statement the statement as written
 * @param detail what about this statement triggered the rule, or {@code null}
 */
public record Finding(Rule rule, TableName table, String column, String statement, String detail) {

    /** One paragraph: rule, table and column, what goes wrong, and the fix. */
    public String describe() {
        StringBuilder text = new StringBuilder("[").append(rule.id()).append("] ");
        if (table != null) {
            text.append("table ").append(table.sql());
            if (column != null) {
                text.append(", column ").append(TableName.quote(column));
            }
            text.append(": ");
        }
        text.append(rule.problem());
        if (detail != null) {
            text.append(" (").append(detail).append(')');
        }
        return text.append(". Instead: ").append(rule.fix()).append('.').toString();
    }
}
