package dev.zdm.scenario;

/** What goes wrong (or is done on purpose) while a scenario runs. */
enum Fault {
    /** pg_terminate_backend of the job runner's connections mid-backfill, then a new runner. */
    TERMINATE_RUNNER(0.25),
    /** A transaction holds ACCESS SHARE on the table across the stage for 0.8-2.5 s, so the stage must retry. */
    LOCK_DURING_EXPAND(0.1), LOCK_DURING_CUTOVER(0.2), LOCK_DURING_CONTRACT(0.1),
    /** revertCutoverColumnType after the cutover, then a second cutover. */
    REVERT_AND_CUTOVER_AGAIN(0.25),
    /** After contract, a second type change of the same column ({@link ChangeKind#secondType}). */
    SECOND_CHANGE(0.3);

    final double probability;

    Fault(double probability) {
        this.probability = probability;
    }
}
