package dev.zdm.rehearse;

import dev.zdm.sql.Finding;
import java.util.List;
import java.util.Map;

/**
 * One new changeset rehearsed at one size.
 *
 * @param runMs the changeset's run time in Liquibase
 * @param tables what it did per table
 * @param findings what zdm's guard (in {@code warn} mode) saw in its statements
 * @param jobs the background jobs it registered
 */
record ChangeSetRun(PlannedChangeSet changeSet, long runMs, Map<String, TableRun> tables, List<Finding> findings,
        List<JobMeasurement> jobs) {
}
