package dev.zdm.jobs;

import static dev.zdm.jobs.JobFixture.JOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** rowsPerSecond is the recent rate of a running backfill; a paused or finished job has none, and no ETA. */
@ExtendWith(PostgresExtension.class)
class JobRateTest {

    private static final long LIMIT = 2_000;

    private final TestDatabase db;
    private final Jobs jobs;

    JobRateTest(TestDatabase db) {
        this.db = db;
        this.jobs = new Jobs(db.dataSource());
    }

    @Test
    void aRunningBackfillReportsItsRecentRateAndEtaAPausedOrFinishedOneNeither() throws Exception {
        JobFixture.fileTable(db, 40_000);
        JobFixture.expand(db);
        JobSettings throttled = JobFixture.fast(1).withBatch(250, Duration.ofMillis(100)).withMaxRowsPerSecond(LIMIT);
        try (JobRunner runner = JobFixture.runner(db, throttled)) {
            runner.start();
            JobView running = runningFor(Duration.ofSeconds(2));
            assertThat(running.rowsPerSecond()).as("rows/s while running at most %d rows/s", LIMIT).isNotNull()
                    .isBetween(LIMIT * 0.5, LIMIT * 2.0);
            assertThat(running.eta()).isNotNull();
            assertThat(running.progressLine()).contains("rows/s, ETA ");

            jobs.pause(JOB);
            Thread.sleep(3_000);
            JobView paused = jobs.get(JOB).orElseThrow();
            assertThat(paused.state()).isEqualTo(JobState.PAUSED);
            assertThat(paused.rowsPerSecond()).as("a paused job has no rate").isNull();
            assertThat(paused.eta()).as("nor an ETA that grows").isNull();
            assertThat(paused.progressLine()).contains("- rows/s, ETA unknown");

            jobs.resume(JOB);
            JobView resumed = runningFor(Duration.ofMillis(1_500));
            // the average since the job started, paused time included, would be about 7,000 rows / 6.5 s < 1,100 rows/s
            assertThat(resumed.rowsPerSecond()).as("the rate after a pause is the recent one, not diluted by the pause")
                    .isNotNull().isGreaterThan(LIMIT * 0.6);
        }
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        JobView done = jobs.get(JOB).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.rowsPerSecond()).as("a finished job has no rate").isNull();
        assertThat(done.eta()).isNull();
    }

    /** The view after the job has been RUNNING with rows copied for {@code atLeast}. */
    private JobView runningFor(Duration atLeast) throws InterruptedException {
        JobFixture.await(jobs, JOB, JobState.RUNNING, Duration.ofSeconds(30));
        Thread.sleep(atLeast.toMillis());
        JobView view = jobs.get(JOB).orElseThrow();
        assertThat(view.state()).isEqualTo(JobState.RUNNING);
        return view;
    }
}
