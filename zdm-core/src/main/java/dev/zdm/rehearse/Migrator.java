package dev.zdm.rehearse;

import dev.zdm.liquibase.ZdmChangeExecListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.function.Consumer;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.core.PreconditionContainer;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Runs the next changesets of the changelog through Liquibase ({@code update-count}, no contexts, no labels) with zdm's
 * listener, on one (guarded) connection, and times each changeset; {@code afterChange} sees the connection after each
 * change, before the changeset's transaction commits.
 */
final class Migrator {

    private final Path root;
    private final String changeLogPath;
    private final ClassLoader classLoader;
    private final Map<String, String> parameters;

    Migrator(Path root, String changeLogPath, ClassLoader classLoader, Map<String, String> parameters) {
        this.root = root;
        this.changeLogPath = changeLogPath;
        this.classLoader = classLoader;
        this.parameters = parameters;
    }

    /**
     * Runs the next {@code count} changesets; returns the run time of the last one's changes in milliseconds (from each
     * change's start to its end, so Liquibase's own bookkeeping does not count).
     */
    long update(Connection connection, int count, Consumer<Connection> afterChange) throws Exception {
        long[] times = new long[4];
        ResourceAccessor accessor = new CompositeResourceAccessor(new DirectoryResourceAccessor(root),
                new ClassLoaderResourceAccessor(classLoader));
        Map<String, Object> scope = Map.of(Scope.Attr.classLoader.name(), classLoader,
                Scope.Attr.resourceAccessor.name(), accessor, Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService());
        Scope.child(scope, () -> {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            liquibase.changelog.ChangeLogParameters values = new liquibase.changelog.ChangeLogParameters(database);
            parameters.forEach(values::set);
            new CommandScope(UpdateCountCommandStep.COMMAND_NAME)
                    .addArgumentValue(liquibase.command.core.helpers.DatabaseChangelogCommandStep.CHANGELOG_PARAMETERS, values)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCountCommandStep.CHANGELOG_FILE_ARG, changeLogPath)
                    .addArgumentValue(UpdateCountCommandStep.COUNT_ARG, count)
                    .addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG,
                            new Timing(new ZdmChangeExecListener(null), times, connection, afterChange))
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF)
                    .setOutput(java.io.OutputStream.nullOutputStream()) // Liquibase's summaries are not the report
                    .execute();
        });
        return times[3] / 1_000_000;
    }

    /** zdm's listener, plus the start and end of each changeset and a look after each change. */
    private static final class Timing implements ChangeExecListener {
        private final ChangeExecListener zdm;
        private final long[] times;
        private final Connection connection;
        private final Consumer<Connection> afterChange;

        Timing(ChangeExecListener zdm, long[] times, Connection connection, Consumer<Connection> afterChange) {
            this.zdm = zdm;
            this.times = times;
            this.connection = connection;
            this.afterChange = afterChange;
        }

        @Override
        public void willRun(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, ChangeSet.RunStatus runStatus) {
            times[0] = System.nanoTime();
            times[1] = 0;
            times[3] = 0;
            zdm.willRun(changeSet, changeLog, database, runStatus);
        }

        @Override
        public void ran(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, ChangeSet.ExecType execType) {
            times[1] = System.nanoTime();
            zdm.ran(changeSet, changeLog, database, execType);
        }

        @Override
        public void willRollback(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
            zdm.willRollback(changeSet, changeLog, database);
        }

        @Override
        public void rolledBack(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
            zdm.rolledBack(changeSet, changeLog, database);
        }

        @Override
        public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {
            zdm.preconditionFailed(error, onFail);
        }

        @Override
        public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {
            zdm.preconditionErrored(error, onError);
        }

        @Override
        public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
            times[2] = System.nanoTime();
            zdm.willRun(change, changeSet, changeLog, database);
        }

        @Override
        public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
            times[3] += System.nanoTime() - times[2];
            zdm.ran(change, changeSet, changeLog, database);
            if (afterChange != null) {
                afterChange.accept(connection);
            }
        }

        @Override
        public void runFailed(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, Exception exception) {
            zdm.runFailed(changeSet, changeLog, database, exception);
        }

        @Override
        public void rollbackFailed(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, Exception exception) {
            zdm.rollbackFailed(changeSet, changeLog, database, exception);
        }
    }
}
