package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A revert job whose swap meets a busy table keeps its validated check and tries the swap again: writers never queue
 * behind it (not even behind a clean-up), no write fails, and once the table is free the revert completes. Found by a
 * reproduction attempt: the swap's clean-up dropped the check with no lock timeout (a writer waited 7.4 s), or gave up
 * and left the check refusing writes for good.
 */
@ExtendWith(PostgresExtension.class)
class RevertJobOnABusyTableTest {

    private final TestDatabase db;

    RevertJobOnABusyTableTest(TestDatabase db) {
        this.db = db;
    }

    @ParameterizedTest(name = "runner on the {0} DataSource")
    @ValueSource(strings = { "application", "migration" })
    void aRevertJobWaitsOutABusyTableWithoutBlockingWritersAndCompletes(String wrapped) throws Exception {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, databasechangelog,"
                        + " databasechangeloglock, zdm_mirror_rejects CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0, touches integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, 300000) g"); // the VALIDATE takes long enough for the blocker to step in
        DataSource migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
        Migrations.update(migrations, "changes/expand-type.yaml");
        drain(db.dataSource());
        Migrations.update(migrations, "changes/cutover-type.yaml");
        Migrations.update(migrations, "changes/revert-type.yaml");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong longestWrite = new AtomicLong();
        AtomicBoolean blockedSwap = new AtomicBoolean();
        Thread blocker = new Thread(() -> { // once the check exists, an idle reader holds the table for 3 s
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                while (!"1".equals(db.query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass"
                        + " AND conname LIKE '%fits%'"))) {
                    Thread.sleep(1);
                }
                c.setAutoCommit(false);
                s.execute("LOCK TABLE file IN ACCESS SHARE MODE");
                for (int i = 0; i < 300; i++) {
                    Thread.sleep(10);
                    if (!"0".equals(db.query("SELECT count(*) FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock'"
                            + " AND relation = 'file'::regclass"))) {
                        blockedSwap.set(true);
                    }
                }
                c.rollback();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        Thread writer = new Thread(() -> {
            try (Connection c = db.connect(); PreparedStatement up = c.prepareStatement(
                    "UPDATE file SET touches = touches + 1 WHERE id = ?")) {
                for (int i = 0; !stop.get(); i++) {
                    long start = System.nanoTime();
                    up.setLong(1, 1 + (i % 1000));
                    up.executeUpdate();
                    longestWrite.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        blocker.start();
        writer.start();
        GuardSettings impatient = GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 1)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200));
        try {
            drain(wrapped.equals("application") ? new Guard(impatient, null).wrap(db.dataSource())
                    : new Guard(impatient, null).wrapForMigrations(db.dataSource()));
        } finally {
            blocker.join();
            stop.set(true);
            writer.join();
        }
        assertThat(failure.get()).as("no write failed").isNull();
        assertThat(blockedSwap.get()).as("premise: the swap met the busy table").isTrue();
        assertThat(db.query("SELECT state FROM zdm_job WHERE kind = 'REVERT'")).isEqualTo("COMPLETED");
        assertThat(db.query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("integer");
        assertThat(db.query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND conname LIKE '%fits%'"))
                .as("no check left behind").isEqualTo("0");
        System.out.printf("revert on a busy table: writer's longest wait %d ms%n", longestWrite.get());
        assertThat(longestWrite.get()).as("the writer's longest wait, ms").isLessThan(1_000);
    }

    private static void drain(DataSource dataSource) throws Exception {
        new JobRunner(dataSource, JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50)), JobListener.NONE,
                List.of()).drain(Duration.ofSeconds(60));
    }
}
