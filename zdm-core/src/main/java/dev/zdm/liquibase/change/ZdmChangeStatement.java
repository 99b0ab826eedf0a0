package dev.zdm.liquibase.change;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.guard.MigrationContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import liquibase.database.PreparedStatementFactory;
import liquibase.exception.DatabaseException;
import liquibase.statement.AbstractSqlStatement;
import liquibase.statement.ExecutablePreparedStatement;

/**
 * What a zdm change hands to Liquibase: its checks and steps, run through JDBC when the change executes
 * (so the catalog can be checked before the first statement), and its SQL for {@code updateSQL}.
 *
 * <ol>
 *   <li>Take the migration connection; if it is not guarded (guard off, CLI), guard it with zdm's defaults,
 *       so zdm's statements always run with a short lock timeout and retries.</li>
 *   <li>Mark the thread as running a zdm change: its statements get timeouts but are not judged.</li>
 *   <li>Check the attributes the change writes into SQL ({@link AbstractZdmChange#sqlAttributes}), then the change's
 *       catalog checks (which ask the server about them too); a failure stops here with the changeset and attribute
 *       named.</li>
 *   <li>Run the steps in order.</li>
 * </ol>
 */
public final class ZdmChangeStatement extends AbstractSqlStatement implements ExecutablePreparedStatement {

    private static final Guard STANDALONE = new Guard(GuardSettings.defaults(), null);

    private final AbstractZdmChange change;
    private final List<Step> steps;
    private final boolean checked;

    ZdmChangeStatement(AbstractZdmChange change, List<Step> steps) {
        this(change, steps, true);
    }

    private ZdmChangeStatement(AbstractZdmChange change, List<Step> steps, boolean checked) {
        this.change = change;
        this.steps = List.copyOf(steps);
        this.checked = checked;
    }

    /** The steps that roll {@code change} back: the change's own catalog checks (made for running it) do not apply. */
    static ZdmChangeStatement rollback(AbstractZdmChange change, List<Step> steps) {
        return new ZdmChangeStatement(change, steps, false);
    }

    public List<Step> steps() {
        return steps;
    }

    AbstractZdmChange change() {
        return change;
    }

    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        MigrationContext context = MigrationContext.current();
        boolean opened = context == null;
        if (opened) {
            context = MigrationContext.open(change.where());
        }
        boolean wasRunning = context.zdmChangeRunning();
        context.zdmChangeRunning(true);
        try {
            change.requireAttributes(); // a change run from Java without validate() is checked too
            Connection connection = STANDALONE.guard(connectionOf(factory));
            if (checked) {
                change.check(new Catalog(connection, change.where()), connection);
            }
            for (Step step : steps) {
                step.execute(connection);
            }
        } catch (SQLException e) {
            throw new DatabaseException("zdm: " + change.where() + ": " + e.getMessage(), e);
        } finally {
            context.zdmChangeRunning(wasRunning);
            if (opened) {
                context.close();
            }
        }
    }

    private static Connection connectionOf(PreparedStatementFactory factory) throws DatabaseException, SQLException {
        try (PreparedStatement probe = factory.create("SELECT 1")) {
            return probe.getConnection();
        }
    }
}
