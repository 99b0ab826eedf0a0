package dev.zdm.scenario;

/** Where a scenario is; the workload records its longest statement wait per stage. */
enum Stage {
    WARMUP, EXPAND, JOBS, CUTOVER, REVERT, CONTRACT, SECOND_CHANGE, DONE;

    /** Whether a writer in this stage may still write values that only the old type accepts (before any cutover). */
    boolean beforeCutover() {
        return this == WARMUP || this == EXPAND || this == JOBS;
    }
}
