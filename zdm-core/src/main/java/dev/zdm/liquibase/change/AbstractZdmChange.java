package dev.zdm.liquibase.change;

import dev.zdm.ZdmDefaults;
import dev.zdm.liquibase.ZdmChange;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.sql.FragmentProblem;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.change.AbstractChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * Base of zdm's change types. {@link #steps()} builds the statements without the database (Liquibase calls
 * {@code generateStatements} for validation and {@code updateSQL} too); {@link #check} asks the catalog when
 * the change is about to run, because an earlier pending changeset may be the one that creates the table.
 */
public abstract class AbstractZdmChange extends AbstractChange implements ZdmChange {

    /** The namespace of zdm's XML change types and attributes. */
    public static final String NAMESPACE = "http://zdm.dev/xml/ns/zdm";

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public String getSerializedObjectNamespace() {
        return NAMESPACE;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        if (writesScript(database)) {
            return new SqlStatement[] { new ZdmScriptStatement(steps()) };
        }
        return new SqlStatement[] { new ZdmChangeStatement(this, steps()) };
    }

    /** Whether Liquibase writes a script for {@code database} ({@code update-sql}) instead of running statements. */
    private static boolean writesScript(Database database) {
        try {
            return liquibase.Scope.getCurrentScope().getSingleton(liquibase.executor.ExecutorService.class)
                    .getExecutor("jdbc", database) instanceof liquibase.executor.LoggingExecutor;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The change's statements in order; must not touch the database. */
    protected abstract List<Step> steps();

    /** Catalog checks before the first step runs; throw {@link ZdmChangeException} via {@code catalog.fail}. */
    protected void check(Catalog catalog, Connection connection) throws SQLException {
    }

    /** Whether the change must run outside a transaction block ({@code runInTransaction="false"}). */
    protected boolean requiresNoTransaction() {
        return false;
    }

    /**
     * The attributes this change writes into its SQL, each with what it must be ({@link Fragment}). They are checked
     * before anything else, by {@link #validate} and again when the change runs, so no statement ever holds one that
     * is more than it must be.
     */
    public List<FragmentAttribute> sqlAttributes() {
        return List.of();
    }

    /** The table the change works on, for messages; {@code null} when it has none. */
    protected abstract String subjectTable();

    /** What is wrong with {@link #sqlAttributes()}, without a database: one problem per bad attribute. */
    public List<FragmentProblem> attributeProblems() {
        List<FragmentProblem> problems = new ArrayList<>();
        for (FragmentAttribute attribute : sqlAttributes()) {
            attribute.check().ifPresent(problems::add);
        }
        return problems;
    }

    /** The message for a bad attribute: the changeset and change, the table, the attribute, its value, the rule and the fix. */
    public String attributeMessage(FragmentProblem problem) {
        return where() + ": " + problem.describe(subjectTable());
    }

    /** Throws a {@link ZdmChangeException} for the first bad attribute; for a change run without {@link #validate}. */
    void requireAttributes() {
        Optional<FragmentProblem> problem = attributeProblems().stream().findFirst();
        if (problem.isPresent()) {
            throw new ZdmChangeException("zdm: " + attributeMessage(problem.get())
                    + ". Nothing of this change was run; correct the changeset and run the migration again.");
        }
    }

    /** An attribute for {@link #sqlAttributes()}. */
    protected static FragmentAttribute attribute(String name, String value, Fragment expected) {
        return new FragmentAttribute(name, value, expected);
    }

    @Override
    public ValidationErrors validate(Database database) {
        List<FragmentProblem> problems = attributeProblems();
        if (!problems.isEmpty()) {
            // Before Liquibase's own checks: they generate the change's statements, which must never hold these values.
            ValidationErrors errors = new ValidationErrors(this);
            problems.forEach(problem -> errors.addError(attributeMessage(problem)));
            return errors;
        }
        ValidationErrors errors = super.validate(database);
        if (errors.hasErrors()) {
            return errors;
        }
        ChangeSet changeSet = getChangeSet();
        if (requiresNoTransaction() && changeSet != null && changeSet.isRunInTransaction()) {
            errors.addError(where() + " runs statements that must not share one transaction (CONCURRENTLY, or a VALIDATE"
                    + " that would otherwise scan while holding the first step's lock); put it in a changeset with "
                    + changeSetAttribute("runInTransaction", "false") + ", alone or with other zdm online changes");
        }
        validateMore(errors);
        return errors;
    }

    /**
     * A changeset attribute written as the changelog that holds this change writes it: {@code name="value"} in XML,
     * {@code name: value} in YAML, {@code "name": value} in JSON, {@code name:value} on a formatted SQL changeset line.
     */
    protected String changeSetAttribute(String name, String value) {
        ChangeSet changeSet = getChangeSet();
        String path = changeSet == null || changeSet.getFilePath() == null ? "" : changeSet.getFilePath().toLowerCase(java.util.Locale.ROOT);
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return name + ": " + value;
        }
        if (path.endsWith(".json")) {
            return "\"" + name + "\": " + value;
        }
        if (path.endsWith(".sql")) {
            return name + ":" + value + " (on the --changeset line)";
        }
        return name + "=\"" + value + "\"";
    }

    /** Further checks that need no database. */
    protected void validateMore(ValidationErrors errors) {
    }

    /** {@code changeset file::id::author, changeName}, for messages. */
    public String where() {
        ChangeSet changeSet = getChangeSet();
        String name = getClass().getAnnotation(liquibase.change.DatabaseChange.class).name();
        return (changeSet == null ? "" : "changeset " + changeSet.getFilePath() + "::" + changeSet.getId() + "::"
                + changeSet.getAuthor() + ", ") + name;
    }

    /** An identifier quoted for SQL where needed. */
    protected static String q(String identifier) {
        return TableName.quote(identifier);
    }

    /** Says which background jobs a change registered, where they run and how to run them without Spring. */
    protected static void registered(String where, List<String> jobs) {
        org.slf4j.LoggerFactory.getLogger("dev.zdm.liquibase").info("zdm: {}: registered background job(s) {}; they run after"
                + " start-up in every instance with zdm.jobs.enabled (watch them at /actuator/backfills or in zdm_job; a later"
                + " changeset that needs them can say so with awaitJobs). Without a Spring application, run them with:"
                + " zdm-cli jobs run --url JDBC_URL --until-done", where, String.join(", ", jobs));
    }

    /** The lock timeout zdm's SQL sets for itself, for {@code updateSQL} output run by hand. */
    protected static String lockTimeoutSql() {
        return "SET lock_timeout = '" + ZdmDefaults.LOCK_TIMEOUT.toMillis() + "ms'";
    }

    /** A step taking a strong lock: shown with zdm's own lock timeout in front. */
    protected static Step locking(String sql) {
        Step plain = Step.sql(sql);
        return new Step() {
            @Override
            public String offlineSql() {
                return lockTimeoutSql() + ";\n" + sql;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                plain.execute(connection);
            }
        };
    }

    /** A step that waits for other transactions by design: shown with no lock timeout. */
    protected static Step waiting(String sql) {
        Step plain = Step.sql(sql);
        return new Step() {
            @Override
            public String offlineSql() {
                return "SET lock_timeout = 0;\n" + sql;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                plain.execute(connection);
            }
        };
    }
}
