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
 * at production size, the verdict against {@code --max-block}, and the change type to use instead. Under a lock that
 * blocks writers (SHARE and stronger) the probes wait while the statement runs: the scaling is the run time's, and the
 * estimate is the larger rehearsal's block plus the run time the extra rows add (the line through both run times), so
 * the constant part of a wait (Liquibase's commit, probe noise) is not multiplied. Under a weaker lock (a concurrent
 * build) the block itself is extrapolated.
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
            long production = productionRows(name);
            LockLevel lock = s.lock().max(l.lock());
            Scaling scaling;
            long estimate;
            if (lock.blocksWrites()) {
                // the lock is held while the statement runs: the block grows like the run time, plus what is constant
                scaling = Scaling.of(small.runMs(), large.runMs());
                estimate = l.blockMs() + extrapolate(scaling, s.rows(), small.runMs(), l.rows(), large.runMs(), production)
                        - large.runMs();
                estimate = Math.max(production >= l.rows() ? l.blockMs() : 0, estimate);
            } else {
                scaling = l.blockMs() >= Scaling.FLOOR_MS ? Scaling.of(s.blockMs(), l.blockMs())
                        : Scaling.of(small.runMs(), large.runMs());
                estimate = extrapolate(l.blockMs() >= Scaling.FLOOR_MS ? scaling : Scaling.CONSTANT, s.rows(), s.blockMs(),
                        l.rows(), l.blockMs(), production);
            }
            tables.add(new TableMeasurement(name, lock, s.rewrite() || l.rewrite(), scaling,
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

    /** The figure at {@code productionRows}: the larger one when constant, else on the line through both. */
    static long extrapolate(Scaling scaling, long smallRows, long smallMs, long largeRows, long largeMs, long productionRows) {
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
