package dev.zdm.rehearse;

import dev.zdm.sql.Finding;
import java.util.List;

/**
 * One new changeset's rehearsal: its verdict, what it did per table, its jobs, and what to use instead.
 *
 * @param runMs its run time at the smaller and the larger size
 * @param findings what zdm's guard saw in its statements (empty when the rules cannot see it: a {@code DO} block,
 *     a function)
 * @param suggestion the zdm change type to use instead, or {@code null}
 */
public record ChangeSetMeasurement(String changeSet, String author, String file, Verdict verdict, long[] runMs,
        List<TableMeasurement> tables, List<JobMeasurement> jobs, List<Finding> findings, String suggestion) {
}
