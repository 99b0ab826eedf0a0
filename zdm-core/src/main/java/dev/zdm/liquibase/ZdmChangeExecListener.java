package dev.zdm.liquibase;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.MigrationContext;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.ChangeSet.ExecType;
import liquibase.changelog.ChangeSet.RunStatus;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.core.PreconditionContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the guard which changeset and change are running, so its messages name them and the overrides
 * work: {@code allowUnsafe} on the changeset, {@code zdm.guard.start-after}, and zdm's own change types.
 *
 * <p>The {@code allowUnsafe} reason is read from the changeset attribute {@code allowUnsafe} (XML
 * {@code zdm:allowUnsafe="..."}, YAML/JSON {@code allowUnsafe: ...}) or, in SQL, from a line
 * {@code --zdm:allowUnsafe <reason>} in the changeset's SQL.
 */
public final class ZdmChangeExecListener implements ChangeExecListener {

    /** The marker of the SQL form of allowUnsafe. */
    public static final String SQL_MARKER = "--zdm:allowUnsafe";

    private static final Logger log = LoggerFactory.getLogger(ZdmChangeExecListener.class);

    private final StartAfter startAfter;
    private MigrationContext context;

    public ZdmChangeExecListener(String startAfter) {
        this.startAfter = new StartAfter(startAfter);
    }

    /** The allowUnsafe reason of a changeset, or {@code null} when it has none. */
    public static String allowUnsafe(ChangeSet changeSet) {
        Object attribute = changeSet.getAttribute("allowUnsafe");
        String reason = attribute == null ? null : attribute.toString();
        if (reason == null) {
            for (Change change : changeSet.getChanges()) {
                String sql = change instanceof RawSQLChange raw ? raw.getSql()
                        : change instanceof SQLFileChange file ? file.getSql() : null;
                reason = reason == null ? fromSql(sql) : reason;
            }
        }
        if (reason != null && reason.isBlank()) {
            log.warn("zdm: changeset {} says allowUnsafe without a reason; a reason is required, so it is ignored",
                    changeSet);
            return null;
        }
        return reason == null ? null : reason.strip();
    }

    static String fromSql(String sql) {
        if (sql == null) {
            return null;
        }
        int at = sql.indexOf(SQL_MARKER);
        if (at < 0) {
            return null;
        }
        int end = sql.indexOf('\n', at);
        String rest = sql.substring(at + SQL_MARKER.length(), end < 0 ? sql.length() : end);
        return rest.startsWith(":") ? rest.substring(1) : rest;
    }

    @Override
    public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, RunStatus runStatus) {
        open(changeSet, databaseChangeLog);
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ExecType execType) {
        close();
    }

    @Override
    public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        open(changeSet, databaseChangeLog);
    }

    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        close();
    }

    @Override
    public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {
    }

    @Override
    public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {
    }

    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (context != null) {
            context.zdmChangeRunning(change instanceof ZdmChange);
        }
    }

    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (context != null) {
            context.zdmChangeRunning(false);
        }
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        close();
    }

    @Override
    public void rollbackFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
            Exception exception) {
        close();
    }

    private void open(ChangeSet changeSet, DatabaseChangeLog changeLog) {
        close();
        String reason = allowUnsafe(changeSet);
        boolean history = startAfter.isHistory(changeSet, changeLog);
        if (reason != null) {
            log.info("zdm: changeset {} allows unsafe statements: {}", changeSet, reason);
        }
        context = MigrationContext.enter(new ChangeSetRef(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor(),
                reason, history));
    }

    private void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
