package dev.zdm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.sql.Finding;
import dev.zdm.sql.TableName;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith(PostgresExtension.class)
class GuardTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    private final TestDatabase db;
    private final AtomicInteger retries = new AtomicInteger();
    private int blockerPid;
    private final List<String> refusedRules = new CopyOnWriteArrayList<>();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
            retries.incrementAndGet();
        }

        @Override
        public void refused(Finding finding, ChangeSetRef changeSet) {
            refusedRules.add(finding.rule().id());
        }
    };

    GuardTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        db.execute("DROP TABLE IF EXISTS a, b", "CREATE TABLE a (id int PRIMARY KEY, v int)",
                "CREATE TABLE b (id int PRIMARY KEY, v int)",
                "INSERT INTO a SELECT g, g FROM generate_series(1, 1000) g",
                "INSERT INTO b SELECT g, g FROM generate_series(1, 1000) g");
    }

    private Guard guard(int lockRetries, Duration initialBackoff) {
        return new Guard(GuardSettings.defaults().withLockTimeout(LOCK_TIMEOUT, lockRetries)
                .withBackoff(initialBackoff, Duration.ofSeconds(2)), listener);
    }

    /** A session that holds ACCESS SHARE on the table until closed, as a long reader transaction does. */
    private Connection blocker(String table) throws SQLException {
        Connection connection = db.connect();
        blockerPid = pid(connection);
        connection.setAutoCommit(false);
        connection.createStatement().executeQuery("SELECT count(*) FROM " + table).close();
        return connection;
    }

    @Test
    void aBlockedDdlGivesUpAfterEachLockTimeoutAndNamesTheBlockerWhileReadersKeepGoing() throws Exception {
        DataSource guarded = guard(3, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        try (Connection blocker = blocker("a"); ReaderProbe reader = new ReaderProbe(db.dataSource(), "a");
                Connection migration = guarded.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE a ADD COLUMN c int"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("after 4 attempt(s) of 200 ms")
                    .hasMessageContaining("table a")
                    .hasMessageContaining("blocked by pid " + blockerPid)
                    .hasMessageContaining("SELECT count(*) FROM a")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(retries).hasValue(3);
            assertThat(elapsedMillis).as("4 attempts of 200 ms plus backoff, not a wait for the blocker")
                    .isBetween(4 * 200L, 10_000L);
            assertThat(reader.reads()).isPositive();
            assertThat(reader.longestMillis()).as("a reader queued behind the waiting DDL waits at most its lock timeout")
                    .isLessThan(LOCK_TIMEOUT.toMillis() + 800);
        }
        assertThat(columnExists("a", "c")).isFalse();
    }

    @Test
    void aRetrySucceedsOnceTheBlockerCommits() throws Exception {
        DataSource guarded = guard(20, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        Connection blocker = blocker("a");
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(900);
                blocker.commit();
                blocker.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection migration = guarded.getConnection()) {
            migration.createStatement().execute("ALTER TABLE a ADD COLUMN c int");
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).isPositive();
        assertThat(columnExists("a", "c")).isTrue();
    }

    @Test
    void aLockTimeoutInATransactionReleasesTheLocksOfEarlierStatementsWhileItBacksOff() throws Exception {
        DataSource guarded = guard(20, Duration.ofMillis(700)).wrapForMigrations(db.dataSource());
        Connection blocker = blocker("b");
        try (ReaderProbe readerOfA = new ReaderProbe(db.dataSource(), "a"); Connection migration = guarded.getConnection()) {
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(2_000);
                    blocker.commit();
                    blocker.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            migration.setAutoCommit(false);
            Statement statement = migration.createStatement();
            statement.execute("ALTER TABLE a ADD COLUMN x int"); // ACCESS EXCLUSIVE on a, held to commit
            statement.execute("UPDATE a SET x = v WHERE id <= 10");
            statement.execute("ALTER TABLE b ADD COLUMN y int"); // waits for the blocker of b
            migration.commit();
            release.get(10, TimeUnit.SECONDS);

            assertThat(retries.get()).isPositive();
            assertThat(readerOfA.longestMillis()).as("readers of a never wait through a backoff")
                    .isLessThan(LOCK_TIMEOUT.toMillis() + 800);
        }
        assertThat(columnExists("a", "x")).isTrue();
        assertThat(columnExists("b", "y")).isTrue();
        assertThat(queryLong("SELECT count(*) FROM a WHERE x = v")).as("replayed statements ran exactly once").isEqualTo(10);
    }

    @Test
    void failsAtOnceInsteadOfSleepingWhenAStrongLockWasTakenBeforeTheGuardLooked() throws Exception {
        Guard guard = guard(20, Duration.ofSeconds(2));
        DataSource application = guard.wrap(db.dataSource());
        try (Connection blocker = blocker("b"); Connection connection = application.getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("LOCK TABLE a IN ACCESS EXCLUSIVE MODE"); // outside any zdm scope
            long start = System.nanoTime();
            try (MigrationContext scope = MigrationContext.open("test")) {
                assertThatThrownBy(() -> connection.createStatement().execute("ALTER TABLE b ADD COLUMN y int"))
                        .isInstanceOf(LockWaitTimeoutException.class)
                        .hasMessageContaining("instead of waiting with locks held")
                        .hasMessageContaining("AccessExclusiveLock on a");
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("no backoff sleep").isLessThan(1_500);
            assertThat(retries).hasValue(0);
            connection.rollback();
        }
    }

    @Test
    void putsTheSessionsTimeoutsBackAfterEveryGuardedStatement() throws Exception {
        DataSource guarded = guard(0, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        try (Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '7s'");
            statement.execute("SET statement_timeout = '9s'");

            statement.execute("ALTER TABLE a ADD COLUMN auto int");
            assertThat(show(statement, "lock_timeout")).isEqualTo("7s");
            assertThat(show(statement, "statement_timeout")).isEqualTo("9s");

            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE a ADD COLUMN in_tx int");
            assertThat(show(statement, "lock_timeout")).as("in the same transaction").isEqualTo("7s");
            assertThat(show(statement, "statement_timeout")).isEqualTo("9s");
            connection.commit();
            assertThat(show(statement, "lock_timeout")).isEqualTo("7s");
        }
    }

    @Test
    void givesConcurrentIndexBuildsNoLockTimeoutSoTheyWaitForOldTransactions() throws Exception {
        DataSource guarded = guard(0, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        Connection oldTransaction = db.connect();
        oldTransaction.setAutoCommit(false);
        oldTransaction.createStatement().executeQuery("SELECT txid_current()").close(); // an old snapshot elsewhere
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(800);
                oldTransaction.commit();
                oldTransaction.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection connection = guarded.getConnection()) {
            connection.createStatement().execute("CREATE INDEX CONCURRENTLY a_v_idx ON a (v)");
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(queryLong("SELECT count(*) FROM pg_index WHERE indexrelid = 'a_v_idx'::regclass AND indisvalid"))
                .isEqualTo(1);
    }

    @Test
    void refusesAnUnsafeStatementBeforeItRunsAndSaysWhatToDoInstead() throws Exception {
        DataSource guarded = guard(0, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        try (Connection connection = guarded.getConnection()) {
            assertThatThrownBy(() -> connection.createStatement().execute("CREATE INDEX a_v_idx ON a (v)"))
                    .isInstanceOf(UnsafeMigrationException.class)
                    .hasMessageContaining("rule:      create-index-blocking")
                    .hasMessageContaining("table:     a")
                    .hasMessageContaining("statement: CREATE INDEX a_v_idx ON a (v)")
                    .hasMessageContaining("instead:   use zdm's createIndexConcurrently")
                    .hasMessageContaining("allowUnsafe");
            assertThat(show(connection.createStatement(), "lock_timeout")).as("settings restored after a refusal").isEqualTo("0");
        }
        assertThat(refusedRules).containsExactly("create-index-blocking");
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname = 'a_v_idx'")).isZero();
    }

    @Test
    void stillJudgesAStatementWhoseFirstAttemptTimedOutWhileJudging() throws Exception {
        DataSource guarded = guard(20, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        Connection exclusive = db.connect();
        exclusive.setAutoCommit(false);
        exclusive.createStatement().execute("LOCK TABLE a IN ACCESS EXCLUSIVE MODE"); // even reading a must wait
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(700);
                exclusive.commit();
                exclusive.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection connection = guarded.getConnection()) {
            assertThatThrownBy(() -> connection.createStatement().execute("CREATE INDEX a_v_idx ON a (v)"))
                    .isInstanceOf(UnsafeMigrationException.class).hasMessageContaining("create-index-blocking");
        }
        release.get(10, TimeUnit.SECONDS);
        assertThat(retries.get()).as("the judging itself hit the lock timeout").isPositive();
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname = 'a_v_idx'")).isZero();
    }

    @Test
    void onlyWarnsInWarnModeAndForAllowedOrHistoricChangesets() throws Exception {
        DataSource warn = new Guard(GuardSettings.defaults().withMode(GuardMode.WARN), listener)
                .wrapForMigrations(db.dataSource());
        try (Connection connection = warn.getConnection()) {
            connection.createStatement().execute("CREATE INDEX a_v_idx ON a (v)");
        }
        DataSource enforce = guard(0, Duration.ofMillis(100)).wrapForMigrations(db.dataSource());
        try (Connection connection = enforce.getConnection();
                MigrationContext allowed = MigrationContext.enter(new ChangeSetRef("f.xml", "1", "me", "table is tiny", false))) {
            connection.createStatement().execute("CREATE INDEX a_v2_idx ON a (v)");
        }
        try (Connection connection = enforce.getConnection();
                MigrationContext history = MigrationContext.enter(new ChangeSetRef("f.xml", "2", "me", null, true))) {
            connection.createStatement().execute("CREATE INDEX b_v_idx ON b (v)");
        }
        assertThat(refusedRules).isEmpty();
        assertThat(queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('a_v_idx', 'a_v2_idx', 'b_v_idx')")).isEqualTo(3);
    }

    @Test
    void leavesTheApplicationsOwnDdlAloneWithTheDefaultScope() throws Exception {
        DataSource application = guard(0, Duration.ofMillis(100)).wrap(db.dataSource());
        try (Connection connection = application.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE scratch (id int)");
            statement.execute("TRUNCATE scratch");
            statement.execute("CREATE INDEX a_v_idx ON a (v)"); // unsafe, but not a migration
            assertThat(show(statement, "lock_timeout")).isEqualTo("0");
            try (MigrationContext scope = MigrationContext.open("report-tables")) {
                assertThatThrownBy(() -> statement.execute("CREATE INDEX b_v_idx ON b (v)"))
                        .isInstanceOf(UnsafeMigrationException.class).hasMessageContaining("changeset: scope::report-tables");
            }
        }
        DataSource all = new Guard(GuardSettings.defaults().withScope(GuardScope.ALL), listener).wrap(db.dataSource());
        try (Connection connection = all.getConnection()) {
            assertThatThrownBy(() -> connection.createStatement().execute("CREATE INDEX b_v_idx ON b (v)"))
                    .isInstanceOf(UnsafeMigrationException.class);
        }
    }

    @Test
    void unwrapsToThePoolAndSaysWhatItWraps() throws Exception {
        GuardedDataSource guarded = guard(0, Duration.ofMillis(100)).wrap(db.dataSource());
        assertThat(guarded.isWrapperFor(PGSimpleDataSource.class)).isTrue();
        assertThat(guarded.unwrap(PGSimpleDataSource.class)).isSameAs(db.dataSource());
        assertThat(guarded.unwrap(GuardedDataSource.class)).isSameAs(guarded);
        assertThat(guarded.toString()).contains("GuardedDataSource").contains("ENFORCE");
        try (Connection connection = guarded.getConnection()) {
            assertThat(connection.unwrap(org.postgresql.PGConnection.class)).isNotNull();
            assertThat(connection.createStatement().getConnection()).isSameAs(connection);
        }
    }

    private boolean columnExists(String table, String column) throws SQLException {
        return queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + table
                + "' AND column_name = '" + column + "'") == 1;
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (ResultSet rs = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
