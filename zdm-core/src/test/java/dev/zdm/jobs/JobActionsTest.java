package dev.zdm.jobs;

import static dev.zdm.jobs.JobFixture.JOB;
import static dev.zdm.jobs.JobFixture.count;
import static dev.zdm.jobs.JobFixture.differing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operator action at every point of a job's life, against one oracle: the job ends COMPLETED (unless it stays
 * cancelled), every row is right, and the job that waits for it runs too.
 */
@ExtendWith(PostgresExtension.class)
class JobActionsTest {

    private static final String DEPENDANT = "file.analyze-after";

    private final TestDatabase db;
    private final Jobs jobs;

    JobActionsTest(TestDatabase db) {
        this.db = db;
        this.jobs = new Jobs(db.dataSource());
    }

    /** Where a backfill is when the operator acts. */
    enum Point {
        NOT_YET_PLANNED, MID_COPY, MID_VERIFY
    }

    /** What the operator does, then what brings the job back. */
    enum Interruption {
        PAUSE_THEN_RESUME(List.of(JobAction.PAUSE), List.of(JobAction.RESUME)),
        CANCEL_THEN_RETRY(List.of(JobAction.CANCEL), List.of(JobAction.RETRY)),
        PAUSE_CANCEL_THEN_RETRY(List.of(JobAction.PAUSE, JobAction.CANCEL), List.of(JobAction.RETRY));

        final List<JobAction> stop;
        final List<JobAction> restart;

        Interruption(List<JobAction> stop, List<JobAction> restart) {
            this.stop = stop;
            this.restart = restart;
        }

        JobState stoppedState() {
            return stop.get(stop.size() - 1) == JobAction.PAUSE ? JobState.PAUSED : JobState.CANCELLED;
        }
    }

    static Stream<Arguments> everyPointAndInterruption() {
        return Stream.of(Point.values()).flatMap(p -> Stream.of(Interruption.values()).map(i -> Arguments.of(p, i)));
    }

    @ParameterizedTest(name = "a backfill interrupted {0} by {1} completes with every row right")
    @MethodSource("everyPointAndInterruption")
    void aBackfillInterruptedAnywhereCompletesWithEveryRowRightAndItsDependantRuns(Point point, Interruption interruption)
            throws Exception {
        JobFixture.fileTable(db, 4_000);
        JobFixture.expand(db);
        jobs.register(JobDefinition.analyze(DEPENDANT, "file", List.of(JOB)));
        JobSettings settings = JobFixture.fast(2).withBatch(100, Duration.ofMillis(1));

        if (point == Point.NOT_YET_PLANNED) {
            interruption.stop.forEach(action -> action.apply(jobs, JOB));
        } else {
            String phase = point == Point.MID_COPY ? "COPY" : "VERIFY";
            AtomicBoolean acted = new AtomicBoolean();
            JobListener actMidway = new JobListener() {
                @Override
                public void batch(String job, long rows, Duration elapsed) {
                    if (job.equals(JOB) && !acted.get() && midway(phase)) {
                        acted.set(true);
                        interruption.stop.forEach(action -> action.apply(jobs, JOB));
                    }
                }
            };
            new JobRunner(db.dataSource(), settings, actMidway, List.of()).drain(Duration.ofMinutes(1));
            assertThat(acted).as("the runner passed through %s", point).isTrue();
        }
        JobFixture.runner(db, settings).drain(Duration.ofSeconds(2));
        assertThat(jobs.get(JOB).orElseThrow().state()).as("an interrupted job stays so until someone acts")
                .isEqualTo(interruption.stoppedState());
        assertThat(differing(db)).as("it stopped before the end").isPositive();
        assertThat(jobs.get(DEPENDANT).orElseThrow().state()).as("its dependant waits").isEqualTo(JobState.PENDING);

        interruption.restart.forEach(action -> action.apply(jobs, JOB));
        JobFixture.runner(db, settings).drain(Duration.ofMinutes(1));

        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(differing(db)).as("every row right").isZero();
        assertThat(jobs.get(DEPENDANT).orElseThrow().state()).as("its dependant ran").isEqualTo(JobState.COMPLETED);
    }

    /** Statement jobs, held up by another session while the operator acts. */
    enum StatementKind {
        INDEX, VALIDATE, DDL
    }

    @ParameterizedTest(name = "a {0} job paused while its statement runs completes when resumed")
    @EnumSource(StatementKind.class)
    void aStatementJobPausedWhileItsStatementRunsCompletesWhenResumedAndItsDependantRuns(StatementKind kind)
            throws Exception {
        interruptWhileTheStatementRuns(kind, Interruption.PAUSE_THEN_RESUME);
    }

    @ParameterizedTest(name = "a {0} job cancelled while its statement runs completes when retried")
    @EnumSource(StatementKind.class)
    void aStatementJobCancelledWhileItsStatementRunsCompletesWhenRetried(StatementKind kind) throws Exception {
        interruptWhileTheStatementRuns(kind, Interruption.CANCEL_THEN_RETRY);
    }

    private void interruptWhileTheStatementRuns(StatementKind kind, Interruption interruption) throws Exception {
        JobFixture.fileTable(db, 2_000);
        String name = "file.statement";
        db.execute("ALTER TABLE file ADD CONSTRAINT file_size_positive CHECK (file_size > 0) NOT VALID");
        jobs.register(definition(kind, name));
        jobs.register(JobDefinition.analyze(DEPENDANT, "file", List.of(name)));
        CountDownLatch heldUp = new CountDownLatch(1);
        JobListener listener = new JobListener() {
            @Override
            public void throttled(String job, String reason) {
                heldUp.countDown();
            }
        };
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                // a writer's open transaction: CREATE INDEX CONCURRENTLY waits for it, VALIDATE and DDL time out on its lock
                statement.execute("UPDATE file SET touches = touches + 1 WHERE id = 1");
                if (kind != StatementKind.INDEX) {
                    statement.execute("LOCK TABLE file IN SHARE UPDATE EXCLUSIVE MODE");
                }
            }
            try (JobRunner runner = new JobRunner(db.dataSource(), JobFixture.fast(1), listener, List.of())) {
                runner.start();
                if (kind == StatementKind.INDEX) {
                    awaitWaitingIndexBuild();
                } else {
                    assertThat(heldUp.await(30, TimeUnit.SECONDS)).as("the statement met the lock").isTrue();
                }
                interruption.stop.forEach(action -> action.apply(jobs, name));
                blocker.rollback();
                awaitSliceDone(name);
                assertThat(jobs.get(name).orElseThrow().state()).as("the operator's word holds after the statement ended")
                        .isEqualTo(interruption.stoppedState());

                interruption.restart.forEach(action -> action.apply(jobs, name));

                assertThat(JobFixture.await(jobs, name, JobState.COMPLETED, Duration.ofSeconds(30)).state())
                        .isEqualTo(JobState.COMPLETED);
                assertThat(JobFixture.await(jobs, DEPENDANT, JobState.COMPLETED, Duration.ofSeconds(30)).state())
                        .as("its dependant ran").isEqualTo(JobState.COMPLETED);
            }
        }
        assertThat(done(kind)).as("the statement's work is there").isTrue();
    }

    private static JobDefinition definition(StatementKind kind, String name) {
        switch (kind) {
            case INDEX:
                return JobDefinition.index(name, "file", "file_size_idx", "CREATE INDEX CONCURRENTLY file_size_idx ON file (file_size)",
                        List.of());
            case VALIDATE:
                return JobDefinition.validate(name, "file", "file_size_positive", List.of());
            default:
                return JobDefinition.ddl(name, "file", List.of("ALTER TABLE file ALTER COLUMN file_size DROP DEFAULT"), List.of());
        }
    }

    private boolean done(StatementKind kind) throws Exception {
        switch (kind) {
            case INDEX:
                return count(db, "SELECT count(*) FROM pg_index WHERE indexrelid = 'file_size_idx'::regclass AND indisvalid") == 1;
            case VALIDATE:
                return count(db, "SELECT count(*) FROM pg_constraint WHERE conname = 'file_size_positive' AND convalidated") == 1;
            default:
                return count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'file'"
                        + " AND column_name = 'file_size' AND column_default IS NULL") == 1;
        }
    }

    @ParameterizedTest(name = "every action on a completed {0} job is refused and it stays completed")
    @EnumSource(value = JobKind.class, names = { "BACKFILL", "INDEX", "ANALYZE", "REVERT" })
    void everyActionOnACompletedJobIsRefusedAndItStaysCompleted(JobKind kind) throws Exception {
        JobFixture.fileTable(db, 1_000);
        JobFixture.expand(db);
        String name = kind == JobKind.BACKFILL ? JOB : "file.finished";
        if (kind == JobKind.INDEX) {
            jobs.register(JobDefinition.index(name, "file", "file_size_idx", "CREATE INDEX CONCURRENTLY file_size_idx ON file (file_size)",
                    List.of()));
        } else if (kind == JobKind.ANALYZE) {
            jobs.register(JobDefinition.analyze(name, "file", List.of()));
        } else if (kind == JobKind.REVERT) {
            // nothing is cut over, so the swap back has nothing to do
            jobs.register(JobDefinition.revert(name, "file", "file", "file_size", List.of()));
        }
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        assertThat(jobs.get(name).orElseThrow().state()).isEqualTo(JobState.COMPLETED);

        for (JobAction action : JobAction.values()) {
            assertThatThrownBy(() -> action.apply(jobs, name)).isInstanceOf(JobActionRefusedException.class)
                    .hasMessageStartingWith("zdm: cannot " + action.word() + " a completed job (" + name + "): it has finished");
        }
        assertThat(jobs.get(name).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(differing(db)).isZero();
    }

    @Test
    void aFailedBackfillRefusesPauseAndResumeAndCompletesWhenCancelledThenRetriedAfterTheFix() throws Exception {
        JobFixture.fileTable(db, 2_000);
        db.execute("ALTER TABLE file ADD COLUMN file_size_zdm bigint");
        jobs.register(JobDefinition.backfill(null, "file", "file_size_zdm", "(1000000 / (file_size - 7))::bigint", null, 200,
                List.of()));
        jobs.register(JobDefinition.analyze(DEPENDANT, "file", List.of(JOB)));
        JobFixture.runner(db, JobFixture.fast(2)).drain(Duration.ofMinutes(1));
        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThatThrownBy(() -> jobs.pause(JOB)).isInstanceOf(JobActionRefusedException.class)
                .hasMessage("zdm: cannot pause a failed job (" + JOB + "): retry it once its last error is fixed");
        assertThatThrownBy(() -> jobs.resume(JOB)).isInstanceOf(JobActionRefusedException.class);
        assertThat(jobs.cancel(JOB).state()).isEqualTo(JobState.CANCELLED);

        db.execute("UPDATE file SET file_size = 8 WHERE file_size = 7");
        jobs.retry(JOB);
        JobFixture.runner(db, JobFixture.fast(2)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM 1000000 / (file_size - 7)"))
                .as("every row right").isZero();
        assertThat(jobs.get(DEPENDANT).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aFailedBackfillRetriedWithoutCancellingCompletesOnceItsRowsAreFixed() throws Exception {
        JobFixture.fileTable(db, 2_000);
        db.execute("ALTER TABLE file ADD COLUMN file_size_zdm bigint");
        jobs.register(JobDefinition.backfill(null, "file", "file_size_zdm", "(1000000 / (file_size - 7))::bigint", null, 200,
                List.of()));
        JobFixture.runner(db, JobFixture.fast(2)).drain(Duration.ofMinutes(1));
        assertThat(jobs.get(JOB).orElseThrow().lastError()).contains("1 row(s) do not convert");

        db.execute("UPDATE file SET file_size = 8 WHERE file_size = 7");
        jobs.retry(JOB);
        JobFixture.runner(db, JobFixture.fast(2)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM 1000000 / (file_size - 7)"))
                .isZero();
    }

    @Test
    void aJobLeftPendingButPlannedByAnOlderResumeIsCompletedByTheNextRunner() throws Exception {
        JobFixture.fileTable(db, 1_000);
        JobFixture.expand(db);
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        db.execute("UPDATE zdm_job SET state = 'PENDING' WHERE name = '" + JOB + "'");

        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofSeconds(5));

        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    /** Whether a slice of the backfill is in {@code phase} with batches of it done and more to do. */
    private boolean midway(String phase) {
        try {
            return count(db, "SELECT count(*) FROM zdm_job_slice WHERE job_name = '" + JOB + "' AND phase = '" + phase
                    + "' AND cursor_key IS NOT NULL") > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitWaitingIndexBuild() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY file_size_idx%'"
                + " AND wait_event_type = 'Lock'") == 0) {
            assertThat(System.nanoTime()).as("the index build waits for the open transaction").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitSliceDone(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(db, "SELECT count(*) FROM zdm_job_slice WHERE job_name = '" + name + "' AND phase = 'DONE'") == 0) {
            assertThat(System.nanoTime()).as("the statement ended").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
