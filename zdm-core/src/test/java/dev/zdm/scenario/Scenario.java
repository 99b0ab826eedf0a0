package dev.zdm.scenario;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * One generated case: a table, a column type change, the objects on the column, the workload's shape and the faults.
 * Everything follows from the seed ({@link ScenarioGenerator}).
 *
 * @param lateBeforeCutover late objects are created once the jobs are done (else right after expand)
 * @param slices backfill parallelism (slices, and worker threads of the runner)
 * @param ops the statements the workload uses besides the ones it always uses ({@link Op#optional})
 */
record Scenario(long seed, ChangeKind change, KeyKind key, Set<ObjectKind> objects, Set<Fault> faults,
        InvalidValues invalid, boolean lateBeforeCutover, int rows, int writers, int slices, int batchSize,
        boolean longReader, Set<Op> ops) {

    /** A short unique tag for object names: the seed in base 36. */
    String tag() {
        return Long.toUnsignedString(seed, 36);
    }

    /** The table zdm changes. */
    String table() {
        return "s" + tag() + "_t";
    }

    /** Its twin, changed with a plain ALTER. */
    String twin() {
        return "s" + tag() + "_w";
    }

    /** The table the column references (FK_OUT), shared by both. */
    String refTable() {
        return "s" + tag() + "_ref";
    }

    /** The changing column. */
    String column() {
        return change.onKey() ? "id" : "c";
    }

    boolean has(ObjectKind object) {
        return objects.contains(object);
    }

    boolean has(Fault fault) {
        return faults.contains(fault);
    }

    boolean uniqueValues() {
        return change.onKey() || objects.stream().anyMatch(ObjectKind::needsUniqueValues);
    }

    /** Whether an INSERT may leave the column out. */
    boolean insertWithoutColumn() {
        if (change.onKey()) {
            return false;
        }
        if (has(ObjectKind.DERIVING_TRIGGER)) {
            return true;
        }
        if (uniqueValues()) {
            return !has(ObjectKind.NOT_NULL) && !has(ObjectKind.DEFAULT);
        }
        return !has(ObjectKind.NOT_NULL) || has(ObjectKind.DEFAULT);
    }

    boolean secondChange() {
        return has(Fault.SECOND_CHANGE) && change.secondType != null;
    }

    /** e.g. {@code VARCHAR_NARROW key=UUID_KEY [CHECK, VIEW] faults=[REVERT_AND_CUTOVER_AGAIN] invalid=WRITTEN 1200 rows}. */
    String describe() {
        return change.name() + " key=" + key.name() + " " + sorted(objects) + " faults=" + sorted(faults)
                + (invalid == InvalidValues.NONE ? "" : " invalid=" + invalid) + (objects.stream().anyMatch(o -> o.late) ? (lateBeforeCutover ? " late@before-cutover" : " late@after-expand") : "")
                + " ops+" + sorted(ops) + (longReader ? " +reader" : "") + " " + rows
                + " rows";
    }

    private static String sorted(Set<? extends Enum<?>> values) {
        return values.stream().sorted().map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
    }
}
