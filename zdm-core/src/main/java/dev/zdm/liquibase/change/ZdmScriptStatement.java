package dev.zdm.liquibase.change;

import java.util.List;
import liquibase.statement.AbstractSqlStatement;

/**
 * What a zdm change hands to Liquibase's {@code update-sql}: the script of its steps ({@link ZdmScriptStatementGenerator}).
 * Not an {@code ExecutablePreparedStatement} as {@link ZdmChangeStatement} is, so Liquibase writes no "WARNING: This
 * statement uses a prepared statement" line — not SQL, it would stop {@code psql -v ON_ERROR_STOP=1} at once.
 */
public final class ZdmScriptStatement extends AbstractSqlStatement {

    private final List<Step> steps;

    ZdmScriptStatement(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }
}
