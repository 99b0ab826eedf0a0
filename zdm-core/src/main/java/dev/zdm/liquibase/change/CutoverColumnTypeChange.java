package dev.zdm.liquibase.change;

import dev.zdm.sql.TableName;
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
 *   <li>One transaction: {@code LOCK TABLE} (short lock timeout, retried with backoff by the guard), then the swap
 *       ({@link ColumnSwap#cutover}): names, default, sequence or identity, NOT NULL, indexes, primary key, constraints,
 *       views, and a reverse trigger that keeps {@code <column>_zdm_old} in sync (NULL where a value does not fit).</li>
 * </ol>
 * Writers wait at most the lock timeout plus this transaction's few milliseconds. Needs {@code runInTransaction="false"}:
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
                        + " transaction: " + lockTimeoutSql() + "; LOCK TABLE " + q(getTableName()) + " IN ACCESS EXCLUSIVE MODE;"
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
        ColumnChangeRecord change = ColumnChangeRecord.find(connection, getTableName(), getColumnName());
        if (change == null) {
            throw catalog.fail("columnName", "no expandColumnType of " + getTableName() + "." + getColumnName() + " was recorded; run it"
                    + " (and let its jobs complete) in an earlier release");
        }
        if (!"EXPANDED".equals(change.stage())) {
            return; // already cut over: nothing to do
        }
        if (getShadowColumnName() != null && !getShadowColumnName().equals(change.shadow())) {
            throw catalog.fail("shadowColumnName", "expandColumnType used " + change.shadow() + ", not " + getShadowColumnName());
        }
        List<String> notReady = new ArrayList<>();
        for (String[] job : ColumnSwap.rows(connection, "SELECT j.name || ' (' || coalesce(zj.state, 'missing') || ')'"
                + " FROM unnest(?::text[]) j(name) LEFT JOIN zdm_job zj ON zj.name = j.name"
                + " WHERE zj.state IS DISTINCT FROM 'COMPLETED'", "{" + String.join(",", change.jobs().stream()
                        .map(j -> "\"" + j.replace("\"", "\\\"") + "\"").toList()) + "}")) {
            notReady.add(job[0]);
        }
        if (!notReady.isEmpty()) {
            throw catalog.fail("columnName", "the expand pipeline is not ready: " + String.join(", ", notReady) + ". Watch it at"
                    + " /actuator/backfills (or the zdm_job table) and deploy this release once every job is COMPLETED");
        }
        if (ColumnSwap.row(connection, "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?", q(getTableName()),
                ZdmNames.mirrorUpdateTrigger(getTableName(), getColumnName(), change.shadow())) == null) {
            throw catalog.fail("columnName", "the mirror trigger of " + getTableName() + "." + getColumnName() + " is missing, so the"
                    + " shadow may be stale; run expandColumnType again");
        }
        String[] rejects = ColumnSwap.row(connection, "SELECT rejects::text FROM " + MirrorSql.REJECTS_TABLE
                + " WHERE table_name = ? AND target_column = ? AND rejects > 0", getTableName(), change.shadow());
        if (rejects != null) {
            throw catalog.fail("columnName", rejects[0] + " write(s) to " + getColumnName() + " did not convert to " + change.newType()
                    + " since expand (see " + MirrorSql.REJECTS_TABLE + "); fix those rows, retry the backfill, and clear the"
                    + " counter");
        }
    }

    private void cutover(Connection connection) throws SQLException {
        ColumnChangeRecord change = ColumnChangeRecord.find(connection, getTableName(), getColumnName());
        if (!"EXPANDED".equals(change.stage())) {
            return;
        }
        ColumnSwap swap = ColumnSwap.read(change, connection, false);
        if (swap.sequence != null && swap.identity == null && change.newType().toLowerCase(java.util.Locale.ROOT).contains("bigint")) {
            ColumnSwap.execute(connection, List.of("ALTER SEQUENCE " + swap.sequence + " AS bigint")); // before the lock
        }
        swap.prepareReferencingKeys(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            ColumnSwap.execute(connection, List.of("LOCK TABLE " + String.join(", ", swap.lockOrder()) + " IN ACCESS EXCLUSIVE MODE"));
            ColumnSwap.execute(connection, swap.cutover(connection));
            change.stage(connection, "CUTOVER");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return getTableName() + "." + getColumnName() + " cut over to its new type";
    }
}
