package dev.zdm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.sql.TableName;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A lock timeout inside a transaction rolls back to the guard's savepoint, which undoes everything run since:
 * prepared statements with their parameters included. Each must come back exactly once, or the retry must
 * stop at once with a clear message; never be lost in silence.
 */
@ExtendWith(PostgresExtension.class)
class GuardPreparedReplayTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    private final TestDatabase db;
    private final AtomicInteger retries = new AtomicInteger();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
            retries.incrementAndGet();
        }
    };

    GuardPreparedReplayTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        db.execute("DROP TABLE IF EXISTS a, b, audit", "CREATE TABLE a (id int PRIMARY KEY, v int)",
                "CREATE TABLE b (id int PRIMARY KEY, v int)", "CREATE TABLE audit (note text, amount int)",
                "INSERT INTO a SELECT g, g FROM generate_series(1, 10) g",
                "CREATE OR REPLACE FUNCTION record_audit(note text, amount int) RETURNS int LANGUAGE sql AS"
                        + " $$ INSERT INTO audit VALUES (note, amount) RETURNING amount $$");
    }

    private DataSource migrations(int lockRetries) {
        return new Guard(GuardSettings.defaults().withLockTimeout(LOCK_TIMEOUT, lockRetries)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)), listener).wrapForMigrations(db.dataSource());
    }

    @Test
    void aPreparedQueryWithASideEffectAfterTheSavepointTakesEffectExactlyOnceAfterARetry() throws Exception {
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        try (Connection migration = migrations(20).getConnection()) {
            migration.setAutoCommit(false);
            migration.createStatement().execute("ALTER TABLE a ADD COLUMN x int"); // the guard's savepoint
            try (PreparedStatement ps = migration.prepareStatement("SELECT record_audit(?, ?)")) {
                ps.setString(1, "moved");
                ps.setInt(2, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
            }
            migration.createStatement().execute("ALTER TABLE b ADD COLUMN y int"); // waits for the blocker, retried
            migration.commit();
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
        assertThat(db.query("SELECT count(*) || ':' || sum(amount) || ':' || min(note) FROM audit"))
                .as("one audit row, with its parameters").isEqualTo("1:7:moved");
    }

    @Test
    void aRowLockedByAPreparedSelectForUpdateAfterTheSavepointIsStillHeldAfterARetry() throws Exception {
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        try (Connection migration = migrations(20).getConnection()) {
            migration.setAutoCommit(false);
            migration.createStatement().execute("ALTER TABLE audit ADD COLUMN x int"); // the guard's savepoint
            try (PreparedStatement ps = migration.prepareStatement("SELECT v FROM a WHERE id = ? FOR UPDATE")) {
                ps.setInt(1, 3);
                ps.executeQuery().close();
            }
            migration.createStatement().execute("ALTER TABLE b ADD COLUMN y int"); // waits for the blocker, retried
            assertThat(retries.get()).isPositive();

            try (Connection other = db.connect()) {
                assertThatThrownBy(() -> other.createStatement().executeQuery("SELECT v FROM a WHERE id = 3 FOR UPDATE NOWAIT"))
                        .as("the migration still holds the row lock it asked for")
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            }
            migration.commit();
        }
        release.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPreparedQueryWhoseParametersCannotBeReplayedMakesALockTimeoutFailAtOnce() throws Exception {
        try (Connection blocker = readerOf("b"); Connection migration = migrations(20).getConnection()) {
            migration.setAutoCommit(false);
            migration.createStatement().execute("ALTER TABLE a ADD COLUMN x int"); // the guard's savepoint
            try (PreparedStatement ps = migration.prepareStatement("SELECT record_audit(convert_from(?, 'UTF8'), 1)")) {
                ps.setBinaryStream(1, new ByteArrayInputStream("streamed".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 8);
                ps.executeQuery().close();
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE b ADD COLUMN y int"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("SELECT record_audit(convert_from(?, 'UTF8'), 1)")
                    .hasMessageContaining("cannot be replayed")
                    .hasMessageContaining("must be rolled back and run again");
            assertThat((System.nanoTime() - start) / 1_000_000).as("no backoff sleep").isLessThan(1_500);
            assertThat(retries).hasValue(0);
            migration.rollback();
        }
    }

    @Test
    void preparedWritesAfterTheSavepointAreReplayedWithTheirParameters() throws Exception {
        Connection blocker = readerOf("b");
        CompletableFuture<Void> release = releaseAfter(blocker, 900);
        try (Connection migration = migrations(20).getConnection()) {
            migration.setAutoCommit(false);
            migration.createStatement().execute("ALTER TABLE a ADD COLUMN x int"); // the guard's savepoint
            try (PreparedStatement ps = migration.prepareStatement("INSERT INTO audit VALUES (?, ?)")) {
                ps.setString(1, "first");
                ps.setInt(2, 1);
                ps.executeUpdate();
                ps.setString(1, "second");
                ps.setObject(2, 2);
                ps.execute();
            }
            migration.createStatement().execute("ALTER TABLE b ADD COLUMN y int"); // waits for the blocker, retried
            migration.commit();
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
        assertThat(db.query("SELECT string_agg(note || '=' || amount, ',' ORDER BY amount) FROM audit"))
                .isEqualTo("first=1,second=2");
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
