package dev.zdm.jobs;

import static dev.zdm.jobs.JobFixture.JOB;
import static dev.zdm.jobs.JobFixture.count;
import static dev.zdm.jobs.JobFixture.differing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.ZdmException;
import dev.zdm.liquibase.Migrations;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class BackfillTest {

    private final TestDatabase db;
    private final Jobs jobs;

    BackfillTest(TestDatabase db) {
        this.db = db;
        this.jobs = new Jobs(db.dataSource());
    }

    @Test
    void theChangeOnlyRegistersTheJobAndTheRunnerCopiesEveryRow() throws Exception {
        JobFixture.fileTable(db, 20_000);
        JobFixture.expand(db);
        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.PENDING);
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).as("nothing copied at start-up")
                .isZero();

        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(2));

        JobView view = jobs.get(JOB).orElseThrow();
        assertThat(view.state()).isEqualTo(JobState.COMPLETED);
        assertThat(view.rowsDone()).isEqualTo(20_000);
        assertThat(view.percent()).isEqualTo(100);
        assertThat(view.kind()).isEqualTo(JobKind.BACKFILL);
        assertThat(view.table()).isEqualTo("file");
        assertThat(differing(db)).isZero();
    }

    @Test
    void threeRunnersShareOneJobAndEveryRowEndsRight() throws Exception {
        JobFixture.fileTable(db, 30_000);
        JobFixture.expand(db);
        List<JobRunner> runners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JobRunner runner = JobFixture.runner(db, JobFixture.fast(3));
            runners.add(runner);
            runner.start();
        }
        JobView view = JobFixture.await(jobs, JOB, JobState.COMPLETED, Duration.ofMinutes(2));
        runners.forEach(JobRunner::close);

        assertThat(view.state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM zdm_job_slice WHERE job_name = '" + JOB + "'")).isEqualTo(3);
        assertThat(count(db, "SELECT sum(rows_done) FROM zdm_job_slice WHERE job_name = '" + JOB + "'"))
                .as("every key counted exactly once across slices").isEqualTo(30_000);
        assertThat(count(db, "SELECT count(*) FROM zdm_job_slice WHERE owner IS NOT NULL")).as("leases released").isZero();
        assertThat(differing(db)).isZero();
    }

    @Test
    void aStaleOwnersWriteIsRejectedByTheFencingToken() throws Exception {
        JobFixture.fileTable(db, 5_000);
        JobFixture.expand(db);
        JobSettings settings = JobFixture.fast(1);
        try (Connection a = db.connect(); Connection b = db.connect()) {
            JobPlanner.planReady(a, 1);
            SliceLease stale = SliceLease.claim(a, "runner-a", settings.lease());
            db.execute("UPDATE zdm_job_slice SET lease_until = now() - interval '1 second'"); // runner-a stalled past its lease
            SliceLease fresh = SliceLease.claim(b, "runner-b", settings.lease());
            assertThat(fresh.fence()).isGreaterThan(stale.fence());

            SliceWorker worker = new SliceWorker(db.dataSource(), settings, JobListener.NONE, List.of(), () -> false);
            BackfillTarget target = BackfillTarget.resolve(a, JobRow.find(a, JOB));
            assertThat(worker.batch(a, stale, target, 1_000).step()).isEqualTo(SliceWorker.Step.LOST);
            assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).as("its batch rolled back").isZero();
            assertThat(worker.batch(b, fresh, target, 1_000).step()).isEqualTo(SliceWorker.Step.PROGRESS);
            assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).isEqualTo(1_000);
        }
    }

    @Test
    void writersDuringTheBackfillNeverLeaveARowOutOfSync() throws Exception {
        JobFixture.fileTable(db, 30_000);
        JobFixture.expand(db);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Thread writer = new Thread(() -> {
                try (Connection connection = db.connect();
                        PreparedStatement bump = connection.prepareStatement(
                                "UPDATE file SET file_size = file_size + 1, touches = touches + 1 WHERE id = ?");
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO file (checksum, file_size) VALUES (?, ?)")) {
                    connection.setAutoCommit(false);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (running.get()) {
                        bump.setLong(1, 1 + random.nextInt(30_000));
                        bump.executeUpdate();
                        insert.setString(1, "w" + random.nextLong());
                        insert.setInt(2, random.nextInt(1_000_000));
                        insert.executeUpdate();
                        connection.commit();
                        writes.addAndGet(2);
                    }
                } catch (SQLException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
            writers.add(writer);
            writer.start();
        }
        try (JobRunner runner = JobFixture.runner(db, JobFixture.fast(2).withBatch(300, Duration.ofMillis(50)))) {
            runner.start();
            JobFixture.await(jobs, JOB, JobState.COMPLETED, Duration.ofMinutes(2));
        }
        running.set(false);
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(writes.get()).isGreaterThan(100);
        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(differing(db)).isZero();
    }

    @Test
    void skipsLockedRowsThenWaitsOutATableLockAndFinishesAfterRelease() throws Exception {
        JobFixture.fileTable(db, 10_000);
        JobFixture.expand(db);
        Connection rowLocks = db.connect();
        rowLocks.setAutoCommit(false);
        rowLocks.createStatement().executeQuery("SELECT * FROM file WHERE id BETWEEN 100 AND 200 FOR UPDATE").close();
        Connection tableLock = db.connect();
        tableLock.setAutoCommit(false);
        tableLock.createStatement().execute("LOCK TABLE file IN SHARE MODE");
        try (JobRunner runner = JobFixture.runner(db, JobFixture.fast(1))) {
            runner.start();
            Thread.sleep(1_500);
            assertThat(jobs.get(JOB).orElseThrow().state()).as("held back, not failed").isEqualTo(JobState.RUNNING);
            tableLock.commit();
            tableLock.close();
            Thread.sleep(1_500);
            assertThat(jobs.get(JOB).orElseThrow().state()).as("waiting for the locked rows").isEqualTo(JobState.RUNNING);
            rowLocks.commit();
            rowLocks.close();
            JobView done = JobFixture.await(jobs, JOB, JobState.COMPLETED, Duration.ofMinutes(1));
            assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        }
        assertThat(differing(db)).isZero();
    }

    @Test
    void aBadDefinitionFailsWithAClearErrorAndOtherJobsGoOn() throws Exception {
        JobFixture.fileTable(db, 2_000);
        JobFixture.expand(db);
        jobs.register(JobDefinition.backfill("bad.column", "file", "no_such_column", "file_size::bigint", null, null, List.of()));
        jobs.register(JobDefinition.backfill("bad.expression", "file", "file_size_zdm", "file_size / no_such_fn()", null, null,
                List.of()));
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get("bad.column").orElseThrow()).satisfies(v -> {
            assertThat(v.state()).isEqualTo(JobState.FAILED);
            assertThat(v.lastError()).contains("table file has no column no_such_column");
        });
        assertThat(jobs.get("bad.expression").orElseThrow().lastError()).contains("using 'file_size / no_such_fn()'")
                .contains("does not work on file");
        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(differing(db)).isZero();
    }

    @Test
    void aJobRowWrittenByHandWithSqlSmuggledIntoItsWhereFailsBeforeAnyOfItIsSent() throws Exception {
        JobFixture.fileTable(db, 500);
        JobFixture.expand(db);
        db.execute("DROP TABLE IF EXISTS victim", "CREATE TABLE victim (id int)", "INSERT INTO victim VALUES (1)",
                "INSERT INTO zdm_job (name, kind, table_name, target_column, using_expr, where_expr, depends_on, settings)"
                        + " VALUES ('smuggled', 'BACKFILL', 'file', 'file_size_zdm', 'file_size::bigint',"
                        + " 'true)) AS bigint) FROM file; DROP TABLE victim; --', '{}', '{}')");
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get("smuggled").orElseThrow()).satisfies(v -> {
            assertThat(v.state()).isEqualTo(JobState.FAILED);
            assertThat(v.lastError()).contains("attribute where: 'true)) AS bigint) FROM file; DROP TABLE victim; --'");
        });
        assertThat(count(db, "SELECT count(*) FROM victim")).isEqualTo(1);
        db.execute("DROP TABLE victim");
    }

    @Test
    void reportsRowsThatDoNotConvertWithTheirKeysAndDoesNotComplete() throws Exception {
        db.execute("DROP TABLE IF EXISTS doc, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE TABLE doc (id int PRIMARY KEY, ext_id varchar(36))",
                "INSERT INTO doc SELECT g, md5(g::text)::uuid::text FROM generate_series(1, 1000) g",
                "UPDATE doc SET ext_id = 'not-a-uuid-' || id WHERE id IN (17, 523)");
        Migrations.update(new dev.zdm.guard.Guard(dev.zdm.guard.GuardSettings.defaults(), null)
                .wrapForMigrations(db.dataSource()), "jobs/uuid.yaml");
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        JobView view = jobs.get("doc.ext_id_zdm").orElseThrow();
        assertThat(view.state()).isEqualTo(JobState.FAILED);
        assertThat(view.rejectedRows()).isEqualTo(2);
        assertThat(view.rejectedSamples()).containsExactly("17", "523");
        assertThat(view.lastError()).contains("2 row(s) do not convert").contains("17, 523").contains("retry");
        assertThat(count(db, "SELECT count(*) FROM doc WHERE ext_id_zdm IS NULL")).isEqualTo(2);

        db.execute("UPDATE doc SET ext_id = md5(id::text)::uuid::text WHERE id IN (17, 523)");
        jobs.retry("doc.ext_id_zdm");
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        assertThat(jobs.get("doc.ext_id_zdm").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM doc WHERE ext_id_zdm IS DISTINCT FROM ext_id::uuid")).isZero();
    }

    @Test
    void rowsAroundARejectAreWalkedInKeyOrderNotInTheOrderOfTheirText() throws Exception {
        // Keys 1..1200 with a bad value at 5 and batches of 10: the batch 1..10 goes row by row. Walking "1", "10",
        // "100", "1000", ... (text order) would end that batch at key 1006 and never write keys 2..1006.
        db.execute("DROP TABLE IF EXISTS doc, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE TABLE doc (id int PRIMARY KEY, ext_id varchar(36))",
                "INSERT INTO doc SELECT g, md5(g::text)::uuid::text FROM generate_series(1, 1200) g",
                "UPDATE doc SET ext_id = 'not-a-uuid' WHERE id = 5");
        Migrations.update(new dev.zdm.guard.Guard(dev.zdm.guard.GuardSettings.defaults(), null)
                .wrapForMigrations(db.dataSource()), "jobs/uuid-small-batches.yaml");
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get("doc.ext_id_zdm").orElseThrow().rejectedSamples()).containsExactly("5");
        assertThat(count(db, "SELECT count(*) FROM doc WHERE id <> 5 AND ext_id_zdm IS DISTINCT FROM ext_id::uuid"))
                .as("every row that converts is written").isZero();
    }

    @Test
    void pauseResumeCancelAndRetryPersistInTheJobTable() throws Exception {
        JobFixture.fileTable(db, 3_000);
        JobFixture.expand(db);
        assertThat(jobs.pause(JOB).state()).isEqualTo(JobState.PAUSED);
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofSeconds(5));
        assertThat(jobs.get(JOB).orElseThrow().state()).as("a paused job stays paused").isEqualTo(JobState.PAUSED);
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).isZero();
        assertThatThrownBy(() -> jobs.pause(JOB)).isInstanceOf(ZdmException.class).hasMessageContaining("cannot pause a paused job (" + JOB + "): resume it");

        assertThat(jobs.resume(JOB).state()).isEqualTo(JobState.PENDING);
        assertThat(jobs.cancel(JOB).state()).isEqualTo(JobState.CANCELLED);
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofSeconds(5));
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).isZero();

        assertThat(jobs.retry(JOB).state()).isEqualTo(JobState.PENDING);
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThatThrownBy(() -> jobs.pause("no.such.job")).isInstanceOf(NoSuchJobException.class);
    }

    @Test
    void letsTheApplicationsOwnTriggersTellBackfillWritesApart() throws Exception {
        JobFixture.fileTable(db, 2_000);
        db.execute("ALTER TABLE file ADD COLUMN updated_at timestamptz NOT NULL DEFAULT '2020-01-01'",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF current_setting('zdm.backfill', true) = 'on' THEN RETURN NEW; END IF;"
                        + " NEW.updated_at := now(); RETURN NEW; END $$",
                "CREATE TRIGGER file_touch BEFORE UPDATE ON file FOR EACH ROW EXECUTE FUNCTION touch()");
        JobFixture.expand(db);
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        assertThat(differing(db)).isZero();
        assertThat(count(db, "SELECT count(*) FROM file WHERE updated_at <> '2020-01-01'")).as("backfill left updated_at alone")
                .isZero();
        db.execute("UPDATE file SET file_size = 5 WHERE id = 1");
        assertThat(count(db, "SELECT count(*) FROM file WHERE updated_at <> '2020-01-01'")).as("the application's writes still touch it")
                .isEqualTo(1);
    }

    @Test
    void asksTheUsersThrottlesBeforeEveryBatchAndCountsEachDecisionByReason() throws Exception {
        JobFixture.fileTable(db, 3_000);
        JobFixture.expand(db);
        java.util.Map<String, Integer> throttled = new java.util.concurrent.ConcurrentHashMap<>();
        JobListener listener = new JobListener() {
            @Override
            public void throttled(String job, String reason) {
                throttled.merge(reason, 1, Integer::sum);
            }
        };
        AtomicLong asked = new AtomicLong();
        BackfillThrottle businessHours = job -> asked.incrementAndGet() <= 2
                ? java.util.Optional.of(new BackfillThrottle.Pause(Duration.ofMillis(20), "business-hours"))
                : java.util.Optional.empty();
        JobSettings settings = JobFixture.fast(1).withBatch(500, Duration.ofMillis(100)).withMaxRowsPerSecond(20_000);
        new JobRunner(db.dataSource(), settings, listener, List.of(businessHours)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(asked.get()).isGreaterThan(2);
        assertThat(throttled).containsEntry("business-hours", 2).containsKey("max-rows-per-second");
    }

    @Test
    void walksUuidAndTextKeysInSlicesAndRefusesCompositeKeys() throws Exception {
        db.execute("DROP TABLE IF EXISTS u, txt, pair, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE TABLE u (id uuid PRIMARY KEY, n int NOT NULL, n_big bigint)",
                "INSERT INTO u SELECT md5(g::text)::uuid, g FROM generate_series(1, 4000) g",
                "CREATE TABLE txt (code text PRIMARY KEY, n int NOT NULL, n_big bigint)",
                "INSERT INTO txt SELECT 'c' || g, g FROM generate_series(1, 4000) g",
                "CREATE TABLE pair (a int, b int, n int, n_big bigint, PRIMARY KEY (a, b))");
        jobs.register(JobDefinition.backfill(null, "u", "n_big", "n::bigint", null, 300, List.of()));
        jobs.register(JobDefinition.backfill(null, "txt", "n_big", "n::bigint", null, 300, List.of()));
        jobs.register(JobDefinition.backfill(null, "pair", "n_big", "n::bigint", null, null, List.of()));
        JobFixture.runner(db, JobFixture.fast(3)).drain(Duration.ofMinutes(1));

        assertThat(jobs.get("u.n_big").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(jobs.get("txt.n_big").orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(count(db, "SELECT count(*) FROM zdm_job_slice WHERE job_name = 'u.n_big'")).isEqualTo(3);
        assertThat(count(db, "SELECT sum(rows_done) FROM zdm_job_slice WHERE job_name = 'txt.n_big'")).isEqualTo(4000);
        assertThat(count(db, "SELECT count(*) FROM u WHERE n_big IS DISTINCT FROM n")).isZero();
        assertThat(count(db, "SELECT count(*) FROM txt WHERE n_big IS DISTINCT FROM n")).isZero();
        assertThat(jobs.get("pair.n_big").orElseThrow().lastError()).contains("has a composite primary key");
    }

    @Test
    void runsAPipelineInDependencyOrder() throws Exception {
        JobFixture.fileTable(db, 5_000);
        JobFixture.expand(db);
        jobs.register(JobDefinition.index("file.idx", "file", "file_size_zdm_idx",
                "CREATE INDEX CONCURRENTLY file_size_zdm_idx ON file (file_size_zdm)", List.of(JOB)));
        jobs.register(JobDefinition.analyze("file.analyze", "file", List.of("file.idx")));
        db.execute("ALTER TABLE file ADD CONSTRAINT file_size_zdm_not_null CHECK (file_size_zdm IS NOT NULL) NOT VALID");
        jobs.register(JobDefinition.validate("file.validate", "file", "file_size_zdm_not_null", List.of(JOB)));

        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));

        assertThat(jobs.list()).extracting(JobView::name, JobView::state).contains(
                org.assertj.core.groups.Tuple.tuple(JOB, JobState.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("file.idx", JobState.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("file.analyze", JobState.COMPLETED),
                org.assertj.core.groups.Tuple.tuple("file.validate", JobState.COMPLETED));
        assertThat(count(db, "SELECT count(*) FROM pg_index WHERE indexrelid = 'file_size_zdm_idx'::regclass AND indisvalid"))
                .isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM pg_constraint WHERE conname = 'file_size_zdm_not_null' AND convalidated"))
                .isEqualTo(1);
    }
}
