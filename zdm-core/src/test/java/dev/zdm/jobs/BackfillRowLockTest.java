package dev.zdm.jobs;

import static dev.zdm.jobs.JobFixture.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application writer never waits on a backfill batch much longer than {@code zdm.backfill.target-batch-time}: a
 * batch that runs long (a slow conversion, a first batch sized too big, a batch gone row by row) is cut off at
 * {@link JobSettings#rowLockLimit()} and retried smaller, instead of holding its row locks up to a statement
 * timeout of seconds.
 */
@ExtendWith(PostgresExtension.class)
class BackfillRowLockTest {

    private static final Duration TARGET = Duration.ofMillis(100);

    private final TestDatabase db;

    BackfillRowLockTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aSlowConversionNeverHoldsRowLocksMuchLongerThanTheTargetBatchTime() throws Exception {
        slowTable(2_000, "");
        long longestWait = backfillWhileWriting();

        assertThat(jobs().get("slow.n_zdm").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM slow WHERE n_zdm IS DISTINCT FROM n")).isZero();
        System.out.printf("slow conversion: writer's longest wait %d ms (row-lock limit %d ms)%n", longestWait,
                settings().rowLockLimit().toMillis());
        assertThat(longestWait).as("the writer's longest wait, ms").isLessThan(600);
    }

    @Test
    void aBatchGoneRowByRowStopsAtTheLimitAndKeepsItsProgress() throws Exception {
        slowTable(2_000, "UPDATE slow SET n = -1 WHERE id IN (3, 1500)");
        long longestWait = backfillWhileWriting();

        JobView view = jobs().get("slow.n_zdm").orElseThrow();
        assertThat(view.state()).isEqualTo(JobState.FAILED);
        assertThat(view.rejectedSamples()).containsExactly("3", "1500");
        assertThat(count(db, "SELECT count(*) FROM slow WHERE n >= 0 AND n_zdm IS DISTINCT FROM n")).isZero();
        System.out.printf("row by row: writer's longest wait %d ms (row-lock limit %d ms)%n", longestWait,
                settings().rowLockLimit().toMillis());
        assertThat(longestWait).as("the writer's longest wait, ms").isLessThan(600);
    }

    @Test
    void aRowSlowerThanTheLimitIsWrittenOnceUnderTheLongLimitAndTheJobCompletes() throws Exception {
        slowTable(100, "");
        db.execute("CREATE OR REPLACE FUNCTION slow_copy(v int) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$"
                + " BEGIN IF v = 42 THEN PERFORM pg_sleep(0.6); END IF; RETURN v; END $$");
        jobs().register(JobDefinition.backfill(null, "slow", "n_zdm", "slow_copy(n)", null, 100, List.of()));
        new JobRunner(db.dataSource(), settings(), JobListener.NONE, List.of()).drain(Duration.ofMinutes(1));

        assertThat(jobs().get("slow.n_zdm").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM slow WHERE n_zdm IS DISTINCT FROM n")).isZero();
    }

    @Test
    void aWhereThatMatchesFewRowsOfABigTableDoesNotFailTheJob() throws Exception {
        slowTable(2_000, "");
        db.execute("INSERT INTO slow (id, n) SELECT g, g FROM generate_series(2001, 600000) g", "ANALYZE slow");
        // the one matching row sits at the end: each batch must scan past 600,000 rows to find it
        jobs().register(JobDefinition.backfill(null, "slow", "n_zdm", "n::bigint", "n % 599999 = 0 AND n > 2000", 100,
                List.of()));
        new JobRunner(db.dataSource(), JobFixture.fast(1).withBatch(100, Duration.ofMillis(10)), JobListener.NONE, List.of())
                .drain(Duration.ofMinutes(1));

        assertThat(jobs().get("slow.n_zdm").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT n_zdm FROM slow WHERE id = 599999")).isEqualTo(599_999);
    }

    private void slowTable(int rows, String damage) {
        db.execute("DROP TABLE IF EXISTS slow, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE OR REPLACE FUNCTION slow_copy(v int) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$"
                        + " BEGIN PERFORM pg_sleep(0.002); RETURN CASE WHEN v < 0 THEN v / 0 ELSE v END; END $$",
                "CREATE TABLE slow (id int PRIMARY KEY, n int NOT NULL, touches int NOT NULL DEFAULT 0, n_zdm bigint)",
                "INSERT INTO slow (id, n) SELECT g, g FROM generate_series(1, " + rows + ") g");
        if (!damage.isEmpty()) {
            db.execute(damage);
        }
    }

    /** Runs the backfill (first batch 500 rows) while a writer updates random rows; returns its longest wait. */
    private long backfillWhileWriting() throws Exception {
        jobs().register(JobDefinition.backfill(null, "slow", "n_zdm", "slow_copy(n)", null, 500, List.of()));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong longest = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random random = new Random(7);
            try (Connection connection = db.connect(); PreparedStatement update = connection.prepareStatement(
                    "UPDATE slow SET touches = touches + 1 WHERE id = ?")) {
                while (writing.get()) {
                    update.setInt(1, 1 + random.nextInt(2_000));
                    long start = System.nanoTime();
                    update.executeUpdate();
                    longest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    Thread.sleep(1);
                }
            } catch (SQLException | InterruptedException e) {
                failure.set(e);
            }
        });
        writer.start();
        try {
            new JobRunner(db.dataSource(), settings(), JobListener.NONE, List.of()).drain(Duration.ofMinutes(3));
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(failure.get()).isNull();
        return longest.get();
    }

    private static JobSettings settings() {
        return JobFixture.fast(1).withBatch(500, TARGET);
    }

    private Jobs jobs() {
        return new Jobs(db.dataSource());
    }
}
