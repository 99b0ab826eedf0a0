package dev.zdm.sql;

import java.util.List;

/**
 * Judges the statements of one transaction (a changeset, or one SQL string) in order, each against the schema as
 * the statements before it leave it, and knowing the locks they took: a whole-table UPDATE, or a VALIDATE, after an
 * ALTER TABLE that took ACCESS EXCLUSIVE on the same table runs under that lock until the transaction ends. The
 * runtime guard and the lint both judge through this class.
 */
public final class TransactionJudge {

    private final ScriptFacts facts;
    private final boolean inTransaction;
    private final boolean locksSpanStatements;

    /**
     * @param inTransaction whether the statements run inside a transaction block
     * @param locksSpanStatements whether a lock one statement takes is still held by the next (a transaction block,
     *     or several statements sent as one string)
     */
    public TransactionJudge(SchemaFacts facts, boolean inTransaction, boolean locksSpanStatements) {
        this.facts = new ScriptFacts(facts);
        this.inTransaction = inTransaction;
        this.locksSpanStatements = locksSpanStatements;
    }

    /** Notes a statement that is not judged but may write rows into a table ({@code INSERT}, {@code COPY}, ...). */
    public void noteRows(String sql) {
        facts.noteRows(sql);
    }

    /** The rules the statement breaks, given every statement judged before it; then records what it did. */
    public List<Finding> judge(ClassifiedStatement statement) {
        List<Finding> findings = SafetyJudge.judge(statement, facts, inTransaction);
        facts.apply(statement);
        if (!locksSpanStatements) {
            facts.releaseLocks();
        }
        return findings;
    }
}
