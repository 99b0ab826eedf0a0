package dev.zdm.liquibase.change;

import dev.zdm.ZdmDefaults;
import dev.zdm.columnchange.*;
import dev.zdm.schema.ZdmSchema;

import dev.zdm.sql.SqlRewrite;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;

/**
 * Release N+1 of a column type change: the shadow becomes the column with one short lock.
 *
 * <ol>
 *   <li>Before any lock: refuse unless expandColumnType ran, its mirror trigger exists, every job of its pipeline is
 *       COMPLETED and no write since failed to convert; widen the owned sequence ({@code ALTER SEQUENCE ... AS bigint}).</li>
 *   <li>One transaction ({@link SwapTransaction}): {@code LOCK TABLE} of the table and its referencing tables within one
 *       budget ({@code zdm.cutover.lock-timeout}), retried as a whole with the guard's backoff, then the swap
 *       ({@link ColumnSwap#cutover}): names, default, sequence or identity, NOT NULL, indexes, primary key, constraints,
 *       views, and a reverse trigger that keeps {@code <column>_zdm_old} in sync (NULL where a value does not fit).</li>
 * </ol>
 * Writers wait at most the cutover lock timeout plus this transaction's few milliseconds. Needs {@code runInTransaction="false"}:
 * it runs its own transaction.
 */
@DatabaseChange(name = "cutoverColumnType", description = "Swaps a column for its shadow (release N+1)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class CutoverColumnTypeChange extends AbstractColumnStageChange {


    @Override
    protected List<Step> steps() {
        return List.of(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: checks that the expand pipeline of " + getTableName() + "." + getColumnName() + " is COMPLETED, then in one"
                        + " transaction: SET LOCAL lock_timeout = (zdm.cutover.lock-timeout, " + ZdmDefaults.CUTOVER_LOCK_TIMEOUT.toMillis()
                        + " ms by default, shared by every table locked); LOCK TABLE " + q(getTableName()) + " IN ACCESS EXCLUSIVE MODE;"
                        + " the rename swap of " + getColumnName() + " and its shadow with every index, constraint, default,"
                        + " sequence and view, and a reverse trigger; COMMIT";
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                cutover(connection);
            }
        });
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", getTableName());
        ZdmSchema.ensure(connection); // a change recorded by an older zdm is read in today's shape
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change == null) {
            String contracted = ColumnChangeRecord.lastContractedType(connection, getTableName(), getColumnName());
            throw catalog.fail("columnName", contracted != null ? "the change of " + getTableName() + "." + getColumnName() + " to "
                    + contracted + " was already contracted and no new expandColumnType of it was recorded; run one first"
                    : "no expandColumnType of " + getTableName() + "." + getColumnName() + " was recorded; run it (and let its"
                    + " jobs complete) in an earlier release");
        }
        String revertJob = RevertCutoverColumnTypeChange.jobName(getTableName(), getColumnName());
        String[] pendingRevert = Sql.row(connection, "SELECT state FROM zdm_job WHERE name = ? AND state IN ('PENDING', 'RUNNING',"
                + " 'PAUSED')", revertJob);
        if (pendingRevert != null) {
            throw catalog.fail("columnName", "a revert of the cutover of " + getTableName() + "." + getColumnName() + " is still"
                    + " under way in the background: job " + revertJob + " (" + pendingRevert[0] + "); deploy this release once it"
                    + " is COMPLETED (or cancel it)");
        }
        if (change.stage() != ColumnChangeRecord.Stage.EXPANDED) {
            return; // already cut over: nothing to do
        }
        if (getShadowColumnName() != null && !getShadowColumnName().equals(change.shadow())) {
            throw catalog.fail("shadowColumnName", "expandColumnType used " + change.shadow() + ", not " + getShadowColumnName());
        }
        if (catalog.columnType(getTableName(), change.shadow()) == null) {
            throw catalog.fail("columnName", "the shadow column " + change.shadow() + " of the recorded change is missing; run"
                    + " expandColumnType again");
        }
        // Rows that do not convert first: they are why a job fails, and the message names them.
        List<String> rejects = MirrorRejects.unresolved(connection, change);
        if (!rejects.isEmpty()) {
            throw catalog.fail("columnName", rejects.size() + (rejects.size() >= MirrorRejects.LIMIT ? "+" : "") + " row(s) of "
                    + getTableName() + " hold a " + getColumnName() + " that does not convert to " + change.newType() + " (as a plain"
                    + " ALTER TABLE ... TYPE would refuse it): " + String.join("; ", rejects.subList(0, Math.min(10, rejects.size())))
                    + ". Fix or delete those rows (the mirror converts them when they are written), then retry any FAILED job of"
                    + " the pipeline");
        }
        List<String> notReady = new ArrayList<>();
        for (String[] job : Sql.rows(connection, "SELECT j.name || ' (' || coalesce(zj.state, 'missing') || ')'"
                + coalesceError() + " FROM unnest(?::text[]) j(name) LEFT JOIN zdm_job zj ON zj.name = j.name"
                + " WHERE zj.state IS DISTINCT FROM 'COMPLETED'", "{" + String.join(",", change.jobs().stream()
                        .map(j -> "\"" + j.replace("\"", "\\\"") + "\"").toList()) + "}")) {
            notReady.add(job[0]);
        }
        if (!notReady.isEmpty()) {
            throw catalog.fail("columnName", "the expand pipeline is not ready: " + String.join(", ", notReady) + ". The jobs run"
                    + " in the application (zdm.jobs.enabled; watch them at /actuator/backfills) or without it:"
                    + " `zdm-cli jobs run --until-done --url JDBC` (or mvn zdm:jobs-run); deploy this release once every job is"
                    + " COMPLETED, e.g. behind `zdm-cli jobs wait --ready " + getTableName() + "." + getColumnName()
                    + " --url JDBC` in the pipeline");
        }
        if (Sql.row(connection, "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?", q(getTableName()),
                ZdmNames.mirrorUpdateTrigger(getTableName(), getColumnName(), change.shadow())) == null) {
            throw catalog.fail("columnName", "the mirror trigger of " + getTableName() + "." + getColumnName() + " is missing, so the"
                    + " shadow may be stale; run expandColumnType again");
        }
        String[] shape = Sql.row(connection, "SELECT tgattr::text FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?",
                q(getTableName()), ZdmNames.mirrorUpdateTrigger(getTableName(), getColumnName(), change.shadow()));
        if (shape != null && shape[0] != null && !shape[0].isBlank()) {
            throw catalog.fail("columnName", "the mirror trigger of " + getTableName() + "." + getColumnName() + " was installed by"
                    + " an older zdm (BEFORE UPDATE OF, which misses values your own triggers derive and key-only updates);"
                    + " run expandColumnType again in a changeset with a new id: it installs the current mirror and runs the"
                    + " backfill's copy and verify passes again; deploy this release once its jobs are COMPLETED");
        }
        String[] oldRejects = Sql.row(connection, "SELECT to_regclass('zdm_mirror_rejects')::text");
        if (oldRejects[0] != null) {
            String[] counted = Sql.row(connection, "SELECT rejects::text FROM zdm_mirror_rejects WHERE table_name = ? AND"
                    + " target_column = ? AND rejects > 0", getTableName(), change.shadow());
            if (counted != null) {
                throw catalog.fail("columnName", counted[0] + " write(s) to " + getColumnName() + " did not convert to "
                        + change.newType() + " under an older zdm (see zdm_mirror_rejects); fix those rows, retry the backfill"
                        + " job, and delete that row of zdm_mirror_rejects");
            }
        }
        MirrorSql.Spec mirror = new MirrorSql.Spec(getTableName(), getColumnName(), change.shadow(), change.using(),
                List.of(getColumnName()), change.keyColumn(), change.settings(), false, false);
        List<String> after = Mirrors.firingAfter(connection, mirror);
        if (!after.isEmpty()) {
            throw catalog.fail("tableName", Mirrors.orderProblem(mirror, after));
        }
        ColumnSwap swap = ColumnSwap.read(change, connection, false);
        if (!swap.missing.isEmpty()) {
            throw catalog.fail("columnName", "the swap cannot carry everything on " + getTableName() + "." + getColumnName() + ": "
                    + String.join("; ", swap.missing));
        }
    }

    private static String coalesceError() {
        return " || coalesce(': ' || regexp_replace(left(zj.last_error, 400), '\\s+', ' ', 'g'), '')";
    }

    private void cutover(Connection connection) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.findActive(connection, getTableName(), getColumnName());
        if (change.stage() != ColumnChangeRecord.Stage.EXPANDED) {
            return;
        }
        ColumnSwap swap = ColumnSwap.read(change, connection, false);
        List<String> referencing = swap.prepareReferencingKeys(connection);
        if (!referencing.isEmpty()) {
            throw new ZdmChangeException("zdm: " + where() + ": foreign keys that reference " + getTableName() + "." + getColumnName()
                    + " need a validated copy that references the new column first, built by background job(s) "
                    + String.join(", ", referencing) + ". Watch them at /actuator/backfills or in zdm_job, and deploy this"
                    + " release once they are COMPLETED. Nothing of this change was run.");
        }
        if (swap.sequence != null && swap.identity == null && dev.zdm.sql.SqlType.parse(change.newType()).name().equals("int8")) {
            Sql.execute(connection, List.of("ALTER SEQUENCE " + swap.sequence + " AS bigint")); // before the lock
        }
        ColumnSwap[] current = { swap };
        try {
            SwapTransaction.run(connection, "cutover of " + getTableName() + "." + getColumnName(),
                    dev.zdm.sql.TableName.parse(q(getTableName())), swap.lockOrder(), locks -> {
                if (!ColumnInventory.fingerprint(connection, getTableName()).equals(current[0].fingerprint)) {
                    // Something was created or dropped on the table while the cutover read it: read again, under the lock.
                    current[0] = ColumnSwap.read(change, connection, false);
                    if (!current[0].missing.isEmpty()) {
                        throw new ZdmChangeException("zdm: " + where() + ": objects on " + getTableName() + " changed while the"
                                + " cutover waited for its lock, and the swap cannot carry: " + String.join("; ", current[0].missing)
                                + ". Nothing was changed; fix that and run the migration again.");
                    }
                    locks.lock(current[0].lockOrder());
                }
                // A write that did not convert may have landed while the cutover waited for its lock: look again, under it.
                List<String> rejects = MirrorRejects.unresolved(connection, change);
                if (!rejects.isEmpty()) {
                    throw new ZdmChangeException("zdm: " + where() + ": while the cutover waited for its lock, " + rejects.size()
                            + " row(s) of " + getTableName() + " were written with a " + getColumnName() + " that does not convert"
                            + " to " + change.newType() + ": " + String.join("; ", rejects.subList(0, Math.min(10, rejects.size())))
                            + ". Nothing was changed; fix or delete those rows and run the migration again.");
                }
                Sql.execute(connection, current[0].cutover());
                String revert = SqlRewrite.replaceColumn(change.revertUsing(), change.shadow(), q(getColumnName()));
                Mirrors.install(connection, Mirrors.spec(connection, getTableName(), getColumnName(), change.oldColumn(), revert,
                        change.settings(), false));
                change.at(ColumnChangeRecord.Stage.CUTOVER, current[0].objectsAfterCutover()).save(connection);
            });
        } catch (SQLException e) {
            if (SwapTransaction.isLockTimeout(e)) {
                throw e; // the message names the tables, the budget and who held them
            }
            throw new ZdmChangeException("zdm: " + where() + ": the swap of " + getTableName() + "." + getColumnName()
                    + " failed and was rolled back, nothing changed (the shadow and its mirror stay): " + e.getMessage()
                    + ". Fix the cause and run the migration again.", e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return getTableName() + "." + getColumnName() + " cut over to its new type";
    }
}
