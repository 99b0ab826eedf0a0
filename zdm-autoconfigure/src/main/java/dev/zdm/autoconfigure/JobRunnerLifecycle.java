package dev.zdm.autoconfigure;

import dev.zdm.jobs.JobRunner;
import org.springframework.context.SmartLifecycle;

/**
 * Starts zdm's job runner once the application is up (never during start-up: migrations must not wait for
 * backfills) and stops it gracefully before the DataSource closes: the current batch finishes, leases are released.
 */
public final class JobRunnerLifecycle implements SmartLifecycle {

    private final JobRunner runner;
    private volatile boolean running;

    public JobRunnerLifecycle(JobRunner runner) {
        this.runner = runner;
    }

    public JobRunner runner() {
        return runner;
    }

    @Override
    public void start() {
        runner.start();
        running = true;
    }

    @Override
    public void stop() {
        runner.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024; // stop after the web server stops taking requests
    }
}
