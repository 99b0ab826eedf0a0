package dev.zdm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.sql.TableName;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the guard may hold while it backs off after a lock timeout: nothing a writer could wait on. Row locks
 * of rows written before the guard's savepoint cannot be given back without losing the writes, so the guard
 * fails at once instead of sleeping on them.
 */
@ExtendWith(PostgresExtension.class)
class GuardHeldLocksTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    private final TestDatabase db;
    private final AtomicInteger retries = new AtomicInteger();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
            retries.incrementAndGet();
        }
    };

    GuardHeldLocksTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        db.execute("DROP TABLE IF EXISTS settings, b, c, databasechangelog, databasechangeloglock", "CREATE TABLE settings (k text PRIMARY KEY, v text)",
                "INSERT INTO settings VALUES ('a', 'old'), ('b', 'old')", "CREATE TABLE b (id int PRIMARY KEY, v int)");
    }

    private DataSource migrations(int lockRetries, Duration initialBackoff) {
        return new Guard(GuardSettings.defaults().withLockTimeout(LOCK_TIMEOUT, lockRetries)
                .withBackoff(initialBackoff, Duration.ofSeconds(2)), listener).wrapForMigrations(db.dataSource());
    }

    @Test
    void aWriterOfARowUpdatedBeforeTheDdlWaitsNoLongerThanOneLockTimeout() throws Exception {
        DataSource guarded = migrations(3, Duration.ofMillis(700));
        Throwable failure;
        long waitedMillis;
        try (Connection blocker = readerOf("b"); Connection migration = guarded.getConnection()) {
            migration.setAutoCommit(false);
            Statement statement = migration.createStatement();
            statement.execute("UPDATE settings SET v = 'migrated' WHERE k = 'a'"); // row lock, before zdm's savepoint
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> timedUpdate("a"));
            waitUntilWaiting();
            failure = catchThrowable(() -> statement.execute("ALTER TABLE b ADD COLUMN y int"));
            migration.rollback();
            waitedMillis = writer.get(30, TimeUnit.SECONDS);
        }
        System.out.println("zdm test: the application's UPDATE of the row waited " + waitedMillis + " ms");
        assertThat(waitedMillis).as("the application's UPDATE of the row waited for one lock timeout, not for backoffs")
                .isLessThan(LOCK_TIMEOUT.toMillis() + 500);
        assertThat(retries).as("no backoff sleep with the row lock held").hasValue(0);
        assertThat(failure).isInstanceOf(LockWaitTimeoutException.class)
                .hasMessageContaining("instead of waiting with locks held")
                .hasMessageContaining("row locks")
                .hasMessageContaining("settings")
                .hasMessageContaining("table b")
                .hasMessageContaining("must be rolled back and run again")
                .hasMessageContaining("own changeset");
        assertThat(db.query("SELECT v FROM settings WHERE k = 'a'")).isEqualTo("app");
    }

    @Test
    void aRowLockedForUpdateBeforeTheDdlAlsoEndsTheRetriesAtOnce() throws Exception {
        DataSource guarded = migrations(3, Duration.ofMillis(700));
        try (Connection blocker = readerOf("b"); Connection migration = guarded.getConnection()) {
            migration.setAutoCommit(false);
            Statement statement = migration.createStatement();
            statement.executeQuery("SELECT v FROM settings WHERE k = 'a' FOR UPDATE").close();
            long start = System.nanoTime();
            assertThatThrownBy(() -> statement.execute("ALTER TABLE b ADD COLUMN y int"))
                    .isInstanceOf(LockWaitTimeoutException.class).hasMessageContaining("row locks");
            assertThat((System.nanoTime() - start) / 1_000_000).as("no backoff sleep").isLessThan(1_500);
            migration.rollback();
        }
    }

    @Test
    void rowsWrittenAfterTheGuardsSavepointAreGivenBackWhileItBacksOffAndWrittenAgain() throws Exception {
        DataSource guarded = migrations(20, Duration.ofMillis(700));
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 2_000);
        long waitedMillis;
        try (Connection migration = guarded.getConnection()) {
            migration.setAutoCommit(false);
            Statement statement = migration.createStatement();
            statement.execute("CREATE TABLE c (id int)"); // the guard's savepoint comes first
            statement.execute("UPDATE settings SET v = 'migrated' WHERE k = 'a'");
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> timedUpdate("a"));
            waitUntilWaiting();
            statement.execute("ALTER TABLE b ADD COLUMN y int");
            migration.commit();
            release.get(10, TimeUnit.SECONDS);
            waitedMillis = writer.get(30, TimeUnit.SECONDS);
        }
        assertThat(retries.get()).isPositive();
        assertThat(waitedMillis).as("the row lock was given back at the first lock timeout")
                .isLessThan(LOCK_TIMEOUT.toMillis() + 500);
        assertThat(db.query("SELECT v FROM settings WHERE k = 'a'")).as("the replayed UPDATE came last").isEqualTo("migrated");
    }

    @Test
    void aWriteRolledBackToASavepointBeforeTheDdlLeavesNoRowLockAndDoesNotStopRetries() throws Exception {
        DataSource guarded = migrations(20, Duration.ofMillis(100));
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        try (Connection migration = guarded.getConnection()) {
            migration.setAutoCommit(false);
            Statement statement = migration.createStatement();
            statement.execute("SAVEPOINT probe"); // as zdm's own checks probe: the transaction gets an id, keeps no lock
            statement.execute("UPDATE settings SET v = 'probe' WHERE k = 'a'");
            statement.execute("ROLLBACK TO SAVEPOINT probe");
            statement.execute("ALTER TABLE b ADD COLUMN y int");
            migration.commit();
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
        assertThat(db.query("SELECT v FROM settings WHERE k = 'a'")).isEqualTo("old");
    }

    @Test
    void zdmsSessionLevelAdvisoryLockForLiquibaseDoesNotStopRetries() throws Exception {
        DataSource guarded = migrations(20, Duration.ofMillis(100));
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        try (Connection migration = guarded.getConnection()) {
            migration.createStatement().executeQuery("SELECT pg_try_advisory_lock(4242)").close(); // as the lock service does
            migration.setAutoCommit(false);
            migration.createStatement().execute("ALTER TABLE b ADD COLUMN y int");
            migration.commit();
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
    }

    @Test
    void aLiquibaseChangesetAfterOthersStillRetriesItsDdlBecauseLiquibaseLeavesNoRowLockBeforeIt(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("changelog.sql"), """
                --liquibase formatted sql
                --changeset test:1-table
                CREATE TABLE c (id int);
                --changeset test:2-column
                ALTER TABLE b ADD COLUMN y int;
                """);
        DataSource guarded = migrations(20, Duration.ofMillis(100));
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        dev.zdm.liquibase.Migrations.update(guarded, dir, "changelog.sql");
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
        assertThat(db.query("SELECT count(*) FROM databasechangelog")).isEqualTo("2");
    }

    /** An application session updating one row of {@code settings} under a short lock timeout; its wait in ms. */
    private long timedUpdate(String key) {
        try (Connection app = db.connect(); Statement statement = app.createStatement()) {
            statement.execute("SET application_name = 'row-writer'");
            statement.execute("SET lock_timeout = '30s'");
            long start = System.nanoTime();
            statement.executeUpdate("UPDATE settings SET v = 'app' WHERE k = '" + key + "'");
            return (System.nanoTime() - start) / 1_000_000;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitUntilWaiting() throws Exception {
        for (int i = 0; i < 300; i++) {
            if ("1".equals(db.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'row-writer'"
                    + " AND wait_event_type = 'Lock'"))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the application writer never waited for the row lock");
    }

    private Connection readerOf(String table) throws SQLException {
        Connection connection = db.connect();
        connection.setAutoCommit(false);
        connection.createStatement().executeQuery("SELECT count(*) FROM " + table).close();
        return connection;
    }

    private static CompletableFuture<Void> releaseAfter(Connection blocker, long millis) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(millis);
                blocker.commit();
                blocker.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
