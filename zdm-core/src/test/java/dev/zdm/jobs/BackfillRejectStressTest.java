package dev.zdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.liquibase.Migrations;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A soak of backfills that meet rows which do not convert, under load: random table sizes, batch sizes, reject
 * positions and parallelism, application writers updating, inserting and deleting, and busy CPUs. Every row that
 * converts ends with its value; every row that does not stays NULL and is reported. Off by default:
 * {@code mvn -B -pl zdm-core -am test -Dtest=BackfillRejectStressTest -Dzdm.stress.rounds=40 [-Dzdm.stress.from=N]}.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "zdm.stress.rounds", matches = "\\d+")
class BackfillRejectStressTest {

    private final TestDatabase db;

    BackfillRejectStressTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void everyRowThatConvertsIsWrittenAndEveryOtherIsReported() throws Exception {
        int from = Integer.getInteger("zdm.stress.from", 0);
        int rounds = Integer.getInteger("zdm.stress.rounds");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            burners.add(daemon(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() % 7;
                }
            }));
        }
        try {
            for (int round = from; round < from + rounds; round++) {
                round(round);
            }
        } finally {
            stop.set(true);
        }
    }

    private void round(int round) throws Exception {
        Random random = new Random(round);
        int rows = 500 + random.nextInt(2500);
        int batch = 5 + random.nextInt(300);
        int parallelism = 1 + random.nextInt(3);
        db.execute("DROP TABLE IF EXISTS doc, zdm_job_reject, zdm_job_slice, zdm_job, zdm_mirror_reject CASCADE",
                "DROP TABLE IF EXISTS databasechangelog",
                "CREATE TABLE doc (id int PRIMARY KEY, ext_id varchar(36))",
                "INSERT INTO doc SELECT g, md5(g::text)::uuid::text FROM generate_series(1, " + rows + ") g");
        for (int i = 0, bad = 1 + random.nextInt(6); i < bad; i++) {
            db.execute("UPDATE doc SET ext_id = 'not-a-uuid-' || id WHERE id = " + (1 + random.nextInt(rows)));
        }
        Path dir = Files.createTempDirectory("zdm-stress");
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: stress-" + round
                + "\n      author: test\n      changes:\n"
                + "        - addShadowColumn: { tableName: doc, columnName: ext_id, newDataType: uuid }\n"
                + "        - createMirrorTrigger: { tableName: doc, sourceColumnName: ext_id, targetColumnName: ext_id_zdm,"
                + " using: \"ext_id::uuid\" }\n"
                + "        - backfillColumn: { tableName: doc, targetColumnName: ext_id_zdm, using: \"ext_id::uuid\", batchSize: "
                + batch + " }\n");
        Migrations.update(new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource()), dir, "changelog.yaml");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            long seed = round * 31L + w;
            writers.add(daemon(() -> write(new Random(seed), rows, writing, failure)));
        }
        try {
            JobFixture.runner(db, JobFixture.fast(parallelism)).drain(Duration.ofMinutes(3));
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertThat(failure.get()).as("application writers").isNull();
        String wrong = db.query("SELECT string_agg(id::text, ',' ORDER BY id) FROM doc WHERE ext_id NOT LIKE 'not-a-uuid%'"
                + " AND ext_id_zdm IS DISTINCT FROM ext_id::uuid");
        String rejected = db.query("SELECT string_agg(id::text, ',' ORDER BY id) FROM doc WHERE ext_id LIKE 'not-a-uuid%'"
                + " AND ext_id_zdm IS NOT NULL");
        System.out.printf("round %d: %d rows, batches of %d, %d slice(s): wrong %s%n", round, rows, batch, parallelism, wrong);
        assertThat(wrong).as("round %d: rows that convert but were not written", round).isNull();
        assertThat(rejected).as("round %d: rows that do not convert but have a value", round).isNull();
    }

    private void write(Random random, int rows, AtomicBoolean writing, AtomicReference<Throwable> failure) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            while (writing.get()) {
                int id = 1 + random.nextInt(rows + 200);
                switch (random.nextInt(4)) {
                    case 0 -> statement.execute("UPDATE doc SET ext_id = gen_random_uuid()::text WHERE id = " + id);
                    case 1 -> statement.execute("INSERT INTO doc VALUES (" + id + ", gen_random_uuid()::text) ON CONFLICT DO NOTHING");
                    case 2 -> statement.execute("DELETE FROM doc WHERE id = " + id);
                    default -> statement.execute("UPDATE doc SET ext_id = ext_id WHERE id = " + id);
                }
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
