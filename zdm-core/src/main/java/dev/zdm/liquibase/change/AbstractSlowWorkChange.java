package dev.zdm.liquibase.change;

import dev.zdm.columnchange.Sql;
import dev.zdm.guard.Guard;
import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.Jobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import liquibase.change.DatabaseChangeProperty;

/**
 * A change whose slow part (an index build, a validating scan) runs as background jobs by default, so a Liquibase run at
 * start-up stays quick on any table size: the change takes its short locks, registers the jobs and returns; the job
 * runner does the rest after start-up. {@code inline="true"} on the change, or {@code zdm.jobs.inline=true} for the
 * whole run (one-shot migration processes), runs it inside the Liquibase run instead.
 */
public abstract class AbstractSlowWorkChange extends AbstractZdmChange {


    private Boolean inline;

    @DatabaseChangeProperty(description = "Run the slow part (index build, validation) inside the Liquibase run instead of"
            + " as background jobs: for small tables and one-shot migration processes. Default: zdm.jobs.inline (false)")
    public Boolean getInline() {
        return inline;
    }

    public void setInline(Boolean inline) {
        this.inline = inline;
    }

    /** Whether the slow part runs now: the change's {@code inline}, else the run's {@code zdm.jobs.inline}. */
    protected boolean runsInline(Connection connection) {
        return inline(inline, connection);
    }

    /** {@code attribute} if set, else the run's {@code zdm.jobs.inline}. */
    static boolean inline(Boolean attribute, Connection connection) {
        if (attribute != null) {
            return attribute;
        }
        Guard guard = Guard.of(connection);
        return guard != null ? guard.settings().inlineJobs() : Boolean.getBoolean("zdm.jobs.inline");
    }

    /** The table as jobs name it: schema-qualified (the runner's search_path may differ from the migration's). */
    protected static String jobTable(Connection connection, String table) throws SQLException {
        String[] row = Sql.row(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)", q(table));
        return row == null ? q(table) : row[0];
    }

    /** The names of the background jobs this change registers when it does not run inline. */
    protected abstract List<String> jobNames();

    /**
     * What undoes the change once its jobs are cancelled, tolerating what the jobs have not done yet (a constraint
     * not attached, an index not built); {@code null} to use the change's Liquibase inverse.
     */
    protected List<Step> undoSteps() {
        return null;
    }

    @Override
    public boolean supportsRollback(liquibase.database.Database database) {
        return true;
    }

    /**
     * A rollback first cancels the change's jobs that have not finished, so none of them does its work on the schema
     * the rollback leaves (refusing while a runner works one), then undoes the change.
     */
    @Override
    public liquibase.statement.SqlStatement[] generateRollbackStatements(liquibase.database.Database database)
            throws liquibase.exception.RollbackImpossibleException {
        List<Step> steps = new java.util.ArrayList<>();
        steps.add(new CancelUnfinishedJobs(where(), jobNames()));
        List<Step> undo = undoSteps();
        if (undo != null) {
            steps.addAll(undo);
            return new liquibase.statement.SqlStatement[] { ZdmChangeStatement.rollback(this, steps) };
        }
        List<liquibase.statement.SqlStatement> statements = new java.util.ArrayList<>();
        statements.add(ZdmChangeStatement.rollback(this, steps));
        statements.addAll(List.of(super.generateRollbackStatements(database)));
        return statements.toArray(liquibase.statement.SqlStatement[]::new);
    }

    /** Registers the jobs and says where they run and how to watch them. */
    protected void register(Connection connection, List<JobDefinition> jobs) throws SQLException {
        for (JobDefinition job : jobs) {
            Jobs.registerAgain(connection, job);
        }
        registered(where(), jobs.stream().map(JobDefinition::name).toList());
    }
}
