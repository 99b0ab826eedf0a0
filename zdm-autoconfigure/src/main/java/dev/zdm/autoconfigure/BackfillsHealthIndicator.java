package dev.zdm.autoconfigure;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports FAILED jobs with the status {@code JOBS_FAILED}. Spring Boot ranks a status it does not know below UP, so
 * a failed backfill never takes the instance out of the load balancer (the root health and the readiness group stay
 * UP); put {@code backfills} in a health group of its own to alert on it (see the README).
 */
public class BackfillsHealthIndicator extends AbstractHealthIndicator {

    /** The status of an instance whose jobs failed. */
    public static final Status JOBS_FAILED = new Status("JOBS_FAILED", "a zdm job failed; see /actuator/backfills");

    private final Jobs jobs;

    public BackfillsHealthIndicator(Jobs jobs) {
        super("zdm jobs health check failed");
        this.jobs = jobs;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<JobView> all = jobs.list();
        List<String> failed = all.stream().filter(j -> j.state() == JobState.FAILED)
                .map(j -> j.name() + ": " + j.lastError()).toList();
        builder.status(failed.isEmpty() ? Status.UP : JOBS_FAILED).withDetail("jobs", all.size())
                .withDetail("running", all.stream().filter(j -> j.state() == JobState.RUNNING).count())
                .withDetail("failed", failed);
    }
}
