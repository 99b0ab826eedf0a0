package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Liquibase's lock must not outlive a dead instance: kill -9 a JVM mid-migration, then migrate again. */
@ExtendWith(PostgresExtension.class)
class KilledMigrationTest {

    @Test
    void aMigrationKilledMidwayLeavesNoLockBehind(TestDatabase db, @TempDir Path dir) throws Exception {
        File log = dir.resolve("child.log").toFile();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MigrateMain.class.getName(), db.jdbcUrl(), db.user(),
                "guard/slow.xml", "60").redirectErrorStream(true).redirectOutput(log).start();
        try {
            waitFor(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'", Files.readString(log.toPath()));
            assertThat(count(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")).isEqualTo(1);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no lock release
            child.waitFor(30, TimeUnit.SECONDS);
        }

        Instant start = Instant.now();
        Migrations.update(new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource()), "guard/slow.xml",
                null, Map.of("sleep", "0"));
        Duration took = Duration.between(start, Instant.now());

        assertThat(count(db, "SELECT count(*) FROM databasechangelog")).isEqualTo(2);
        assertThat(took).as("the dead session's lock went with it (the killed statement would have slept 60 s)")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(count(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'")).isZero();
    }

    private static void waitFor(TestDatabase db, String countQuery, String context) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (count(db, countQuery) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the child migration never started: " + context);
            }
            Thread.sleep(100);
        }
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
