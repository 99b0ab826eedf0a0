package dev.zdm.liquibase.change;

import dev.zdm.columnchange.Sql;
import dev.zdm.schema.ZdmSchema;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.exception.ValidationErrors;

/**
 * A changeset that needs the work of earlier background jobs says so: it refuses, naming each job that is not COMPLETED
 * (its state and last error), until they all are — e.g. the drop of an old index once its replacement is built. Name
 * the jobs ({@code jobs="file.index.file_checksum_idx, ..."}: each must be COMPLETED) or a table ({@code tableName="file"}:
 * every zdm job on it that was not cancelled). Changes nothing but creating zdm's own tables if they are missing.
 */
@DatabaseChange(name = "awaitJobs", description = "Refuses until zdm background jobs are COMPLETED",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class AwaitJobsChange extends AbstractZdmChange {

    private String jobs;
    private String tableName;

    @DatabaseChangeProperty(description = "Names of the jobs, comma-separated")
    public String getJobs() {
        return jobs;
    }

    public void setJobs(String jobs) {
        this.jobs = jobs;
    }

    @DatabaseChangeProperty(description = "A table: every zdm job registered on it")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    private List<String> names() {
        return jobs == null ? List.of() : Arrays.stream(jobs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    protected void validateMore(ValidationErrors errors) {
        if (names().isEmpty() == (tableName == null || tableName.isBlank())) {
            errors.addError(where() + ": give either jobs (names, comma-separated) or tableName");
        }
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        String comment = "-- zdm: awaitJobs: refuses unless " + (tableName != null ? "every zdm job on " + tableName
                : "jobs " + String.join(", ", names())) + " are COMPLETED (SELECT name, state FROM zdm_job)";
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return comment;
            }

            @Override
            public void execute(Connection connection) {
                // the check did the work
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        ZdmSchema.ensure(connection);
        List<String> waiting = new ArrayList<>();
        if (tableName != null) {
            catalog.requireTable("tableName", tableName);
            for (String[] job : Sql.rows(connection, "SELECT name || ' (' || state || coalesce(': ' || left(last_error, 300), '')"
                    + " || ')' FROM zdm_job WHERE table_name IN (?, ?) AND state NOT IN ('COMPLETED', 'CANCELLED')"
                    + " ORDER BY created_at",
                    AbstractSlowWorkChange.jobTable(connection, tableName), tableName)) {
                waiting.add(job[0]);
            }
        } else {
            for (String name : names()) {
                String[] job = Sql.row(connection, "SELECT state, coalesce(': ' || left(last_error, 300), '') FROM zdm_job"
                        + " WHERE name = ?", name);
                if (job == null) {
                    throw catalog.fail("jobs", "no zdm job is named " + name + " (SELECT name FROM zdm_job lists them)");
                }
                if (!"COMPLETED".equals(job[0])) {
                    waiting.add(name + " (" + job[0] + job[1] + ")");
                }
            }
        }
        if (!waiting.isEmpty()) {
            throw catalog.fail(tableName != null ? "tableName" : "jobs", "waiting for background job(s) " + String.join(", ", waiting)
                    + ". They run in every instance with zdm.jobs.enabled (watch them at /actuator/backfills or in zdm_job);"
                    + " deploy this changeset once they are COMPLETED");
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "zdm jobs " + (tableName != null ? "on " + tableName : String.join(", ", names())) + " are COMPLETED";
    }
}
