package dev.zdm.rehearse;

import dev.zdm.sql.Finding;
import dev.zdm.sql.LockLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts a changeset's two rehearsals together: per table, the scaling from the smaller size to the larger, the estimate
 * at production size (linear: the line through the two measurements, never below the larger one; constant: the larger
 * measurement; a block only counts as linear when the changeset's run time grows too, so probe noise on a busy machine
 * does not make a quick change look slow), the verdict against {@code --max-block}, and the change type to use instead.
 */
final class Assessment {

    private final ProductionStats stats;
    private final long defaultRows;
    private final Duration maxBlock;

    Assessment(ProductionStats stats, long defaultRows, Duration maxBlock) {
        this.stats = stats;
        this.defaultRows = defaultRows;
        this.maxBlock = maxBlock;
    }

    ChangeSetMeasurement assess(ChangeSetRun small, ChangeSetRun large) {
        Set<String> names = new LinkedHashSet<>(large.tables().keySet());
        names.addAll(small.tables().keySet());
        List<TableMeasurement> tables = new ArrayList<>();
        boolean blocks = false;
        for (String name : names) {
            TableRun s = small.tables().getOrDefault(name, new TableRun(name, 0, LockLevel.NONE, false, 0, 0));
            TableRun l = large.tables().getOrDefault(name, new TableRun(name, 0, LockLevel.NONE, false, 0, 0));
            Scaling byRunTime = Scaling.of(small.runMs(), large.runMs());
            Scaling scaling = l.blockMs() >= Scaling.FLOOR_MS && byRunTime == Scaling.LINEAR
                    ? Scaling.of(s.blockMs(), l.blockMs()) : byRunTime;
            long production = productionRows(name);
            long estimate = estimate(scaling, s.rows(), s.blockMs(), l.rows(), l.blockMs(), production);
            tables.add(new TableMeasurement(name, s.lock().max(l.lock()), s.rewrite() || l.rewrite(), scaling,
                    new long[] {s.rows(), l.rows()}, new long[] {s.readWaitMs(), l.readWaitMs()},
                    new long[] {s.writeWaitMs(), l.writeWaitMs()}, production, estimate));
            blocks |= estimate > maxBlock.toMillis() || l.blockMs() > maxBlock.toMillis() || s.blockMs() > maxBlock.toMillis();
        }
        for (JobMeasurement job : large.jobs()) {
            blocks |= job.probeMaxWaitMs() > maxBlock.toMillis();
        }
        PlannedChangeSet changeSet = large.changeSet();
        Verdict verdict = blocks ? Verdict.BLOCKS : Verdict.OK;
        return new ChangeSetMeasurement(changeSet.id(), changeSet.author(), changeSet.file(), verdict,
                new long[] {small.runMs(), large.runMs()}, tables, large.jobs(), large.findings(),
                verdict == Verdict.BLOCKS ? suggestion(large.findings(), tables) : null);
    }

    private long productionRows(String table) {
        if (stats != null) {
            java.util.OptionalLong rows = stats.rows(table);
            if (rows.isPresent()) {
                return rows.getAsLong();
            }
        }
        return defaultRows;
    }

    static long estimate(Scaling scaling, long smallRows, long smallMs, long largeRows, long largeMs, long productionRows) {
        if (scaling == Scaling.CONSTANT || largeRows <= smallRows) {
            return largeMs;
        }
        double perRow = (double) (largeMs - smallMs) / (largeRows - smallRows);
        double at = largeMs + perRow * (productionRows - largeRows);
        return productionRows >= largeRows ? Math.round(Math.max(largeMs, at)) : Math.round(Math.max(0, at));
    }

    /**
     * The fix of the guard's finding for the statement (the rules engine's text), else what PostgreSQL did says which
     * zdm change type avoids it.
     */
    static String suggestion(List<Finding> findings, List<TableMeasurement> tables) {
        for (Finding finding : findings) {
            if (finding.rule() != dev.zdm.sql.Rule.DO_BLOCK) { // "cannot judge": what PostgreSQL did says more
                return finding.rule().id() + ": " + finding.rule().fix();
            }
        }
        for (TableMeasurement table : tables) {
            if (table.rewrite() && table.lock() == LockLevel.ACCESS_EXCLUSIVE) {
                return "the table was rewritten under ACCESS EXCLUSIVE (the rules could not see the statement): a column"
                        + " type change goes online with zdm's expandColumnType (then cutoverColumnType, contractColumnType);"
                        + " a volatile default with addColumn (no default) plus backfillColumn";
            }
            if (table.lock() == LockLevel.SHARE) {
                return "writers waited behind a SHARE lock for the whole statement (an index build): use zdm's"
                        + " createIndexConcurrently (or addUniqueConstraintOnline for a unique constraint)";
            }
            if (table.lock() == LockLevel.SHARE_ROW_EXCLUSIVE) {
                return "writers waited behind a SHARE ROW EXCLUSIVE lock while the table was scanned (a foreign key): use"
                        + " zdm's addForeignKeyOnline";
            }
            if (table.lock() == LockLevel.ACCESS_EXCLUSIVE && table.scaling() == Scaling.LINEAR) {
                return "the table was scanned under ACCESS EXCLUSIVE (SET NOT NULL, a CHECK): use zdm's"
                        + " addNotNullConstraintOnline, or add the CHECK NOT VALID and VALIDATE it in its own changeset";
            }
        }
        return "split the work so that no statement holds a lock that blocks writers while it scans or rewrites the table";
    }
}
