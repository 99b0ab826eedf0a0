package dev.zdm.jobs.command;

import dev.zdm.columnchange.ColumnChangeRecord;
import dev.zdm.columnchange.MirrorRejects;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Whether the expand pipeline of one column change is COMPLETED, as the cutover will check it: the change recorded by
 * {@code expandColumnType}, every job it registered COMPLETED, and no row whose value does not convert.
 */
final class ExpandReadiness {

    /** Where the column change is. */
    enum Status {
        /** The cutover release may go out. */
        READY,
        /** Jobs still have work to do (or wait for someone to resume them). */
        WAITING,
        /** It will not get ready by itself: a job FAILED or was cancelled, or no change was recorded. */
        STUCK
    }

    record Result(Status status, String message) {
    }

    private final DataSource dataSource;
    private final String table;
    private final String column;

    ExpandReadiness(DataSource dataSource, String tableColumn) {
        this.dataSource = dataSource;
        int dot = tableColumn.lastIndexOf('.');
        this.table = tableColumn.substring(0, dot);
        this.column = tableColumn.substring(dot + 1);
    }

    String target() {
        return table + "." + column;
    }

    Result check() throws SQLException {
        ColumnChangeRecord change;
        List<String> rejects;
        try (Connection connection = dataSource.getConnection()) {
            change = ColumnChangeRecord.findActive(connection, table, column);
            if (change == null) {
                return new Result(Status.STUCK, "no expandColumnType of " + target() + " is recorded in this database:"
                        + " run the migration of the expand release first (or check the table and column names)");
            }
            if (change.stage() != ColumnChangeRecord.Stage.EXPANDED) {
                return new Result(Status.READY, target() + " is already cut over (" + change.stage() + ")");
            }
            rejects = MirrorRejects.unresolved(connection, change);
        }
        Jobs jobs = new Jobs(dataSource);
        List<String> waiting = new ArrayList<>();
        for (String name : change.jobs()) {
            Optional<JobView> job = jobs.get(name);
            if (job.isEmpty()) {
                return new Result(Status.STUCK, "job " + name + " of the expand pipeline of " + target() + " is missing from"
                        + " zdm_job: run expandColumnType again in a changeset with a new id");
            }
            JobView view = job.get();
            if (view.state() == JobState.FAILED) {
                return new Result(Status.STUCK, "job " + name + " of the expand pipeline of " + target() + " FAILED: "
                        + view.lastError() + ". Fix the cause, then: zdm-cli jobs retry " + name);
            }
            if (view.state() == JobState.CANCELLED) {
                return new Result(Status.STUCK, "job " + name + " of the expand pipeline of " + target() + " was cancelled;"
                        + " run it again with: zdm-cli jobs retry " + name);
            }
            if (view.state() != JobState.COMPLETED) {
                waiting.add(name + " (" + view.state() + (view.state() == JobState.PAUSED ? ", resume it with zdm-cli jobs"
                        + " resume " + name : view.state() == JobState.RUNNING ? ", " + Math.round(view.percent()) + "%" : "") + ")");
            }
        }
        if (!rejects.isEmpty()) {
            return new Result(Status.WAITING, rejects.size() + " row(s) of " + table + " hold a " + column + " that does not"
                    + " convert to " + change.newType() + ": " + String.join("; ", rejects.subList(0, Math.min(5, rejects.size())))
                    + ". Fix or delete them");
        }
        if (!waiting.isEmpty()) {
            return new Result(Status.WAITING, "waiting for " + String.join(", ", waiting));
        }
        return new Result(Status.READY, "the expand pipeline of " + target() + " is COMPLETED (" + String.join(", ",
                change.jobs()) + "); the cutover release may go out");
    }
}
