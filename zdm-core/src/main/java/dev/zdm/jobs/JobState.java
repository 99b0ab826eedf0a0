package dev.zdm.jobs;

/** Where a job is. PAUSED, CANCELLED and FAILED persist across restarts until someone acts. */
public enum JobState {
    PENDING, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

    /** Whether runners may work on it. */
    public boolean runnable() {
        return this == PENDING || this == RUNNING;
    }
}
