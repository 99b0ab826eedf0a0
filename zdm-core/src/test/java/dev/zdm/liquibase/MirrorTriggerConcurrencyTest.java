package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mirror trigger is installed while writers run; afterwards the data says it kept every write in sync. */
@ExtendWith(PostgresExtension.class)
class MirrorTriggerConcurrencyTest {

    private static final int TARGET_ONLY_ROWS = 50;

    @Test
    void keepsTheTargetInSyncUnderConcurrentWritersAndNeverClobbersATargetOnlyWrite(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE file (id bigserial PRIMARY KEY, checksum text NOT NULL, file_size integer NOT NULL, name text)",
                "INSERT INTO file (checksum, file_size, name) SELECT md5(g::text), g, 'n' FROM generate_series(1, 5000) g");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean mirrored = new AtomicBoolean(false);
        AtomicLong writes = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(new Thread(() -> write(db, running, writes, failure), "writer-" + w));
        }
        Thread targetOnly = new Thread(() -> writeTargetOnly(db, running, mirrored, failure), "target-only-writer");
        writers.forEach(Thread::start);
        Thread.sleep(500);

        Migrations.update(new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource()), "changes/mirror.yaml");
        mirrored.set(true);
        targetOnly.start();
        Thread.sleep(2_000);
        running.set(false);
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        targetOnly.join(30_000);

        assertThat(failure.get()).as("no write failed").isNull();
        assertThat(writes.get()).isGreaterThan(100);
        assertThat(count(db, "SELECT count(*) FROM file WHERE id > " + TARGET_ONLY_ROWS
                + " AND file_size_zdm IS NOT NULL AND file_size_zdm <> file_size::bigint")).isZero();
        assertThat(count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS NOT NULL")).as("writes after the trigger")
                .isGreaterThan(50);
        assertThat(count(db, "SELECT count(*) FROM file WHERE id <= " + TARGET_ONLY_ROWS
                + " AND file_size_zdm = 7000000000 + id")).as("target-only writes survive").isEqualTo(TARGET_ONLY_ROWS);
    }

    private static void write(TestDatabase db, AtomicBoolean running, AtomicLong writes, AtomicReference<Throwable> failure) {
        try (Connection connection = db.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO file (checksum, file_size, name) VALUES (?, ?, 'w')");
                PreparedStatement bump = connection.prepareStatement("UPDATE file SET file_size = file_size + 1 WHERE id = ?");
                PreparedStatement rename = connection.prepareStatement("UPDATE file SET name = 'r' WHERE id = ?")) {
            connection.setAutoCommit(false);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                // rows in key order within a transaction, as a well-behaved application does: writers never deadlock
                // among themselves (that would be the test's fault, not the mirror's)
                long[] ids = random.longs(5, TARGET_ONLY_ROWS + 1, TARGET_ONLY_ROWS + 4_901).sorted().toArray();
                for (int i = 0; i < 5; i++) {
                    int choice = random.nextInt(3);
                    long id = ids[i];
                    if (choice == 0) {
                        insert.setString(1, "w" + random.nextLong());
                        insert.setInt(2, random.nextInt(1_000_000));
                        insert.executeUpdate();
                    } else if (choice == 1) {
                        bump.setLong(1, id);
                        bump.executeUpdate();
                    } else {
                        rename.setLong(1, id);
                        rename.executeUpdate();
                    }
                    writes.incrementAndGet();
                }
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void writeTargetOnly(TestDatabase db, AtomicBoolean running, AtomicBoolean mirrored,
            AtomicReference<Throwable> failure) {
        try (Connection connection = db.connect(); PreparedStatement ps = connection.prepareStatement(
                "UPDATE file SET file_size_zdm = 7000000000 + id, name = 'target-only' WHERE id = ?")) {
            for (int id = 1; id <= TARGET_ONLY_ROWS; id++) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
