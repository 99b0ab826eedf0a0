package dev.zdm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.sql.TableName;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection guarded on its own ({@link Guard#guard}, as zdm's change types do on the plain Liquibase command line):
 * no second connection watches the wait, yet every retry and the final error name who held the lock.
 */
@ExtendWith(PostgresExtension.class)
class GuardStandaloneBlockerTest {

    private final TestDatabase db;
    private final List<String> retryBlockers = new CopyOnWriteArrayList<>();
    private final Guard guard = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 2)
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(100)), new GuardListener() {
                @Override
                public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
                    retryBlockers.add(blockers);
                }
            });

    GuardStandaloneBlockerTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS s, other", "CREATE TABLE s (id int PRIMARY KEY, v int)", "CREATE TABLE other (id int)",
                "INSERT INTO s SELECT g, g FROM generate_series(1, 100) g");
    }

    @Test
    void eachRetryAndTheFinalErrorNameTheSessionHoldingTheLockUnderAutoCommit() throws Exception {
        try (Connection blocker = reader("nightly-report", "s"); Connection migration = guard.guard(db.connect())) {
            int pid = pid("nightly-report");
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE s ADD COLUMN c int"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("after 3 attempt(s) of 200 ms")
                    .hasMessageContaining("blocked by pid " + pid + " (application 'nightly-report', transaction open")
                    .hasMessageContaining("idle in transaction")
                    .hasMessageContaining("last query: SELECT count(*) FROM s");
            assertThat(retryBlockers).hasSize(2).allSatisfy(text -> assertThat(text).contains("blocked by pid " + pid + " "));
            assertThat(show(migration, "lock_timeout")).as("the guard's timeout is not left on the session").isEqualTo("0");
        }
    }

    @Test
    void inATransactionTheRetryRollsBackToTheSavepointAndStillNamesTheBlocker() throws Exception {
        try (Connection blocker = reader("nightly-report", "s"); Connection migration = guard.guard(db.connect())) {
            int pid = pid("nightly-report");
            migration.setAutoCommit(false);
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE s ADD COLUMN c int"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("blocked by pid " + pid + " (application 'nightly-report'");
            assertThat(retryBlockers).hasSize(2).allSatisfy(text -> assertThat(text).contains("blocked by pid " + pid + " "));
            migration.rollback();
        }
    }

    @Test
    void aTransactionThatCannotRetryStillNamesTheBlocker() throws Exception {
        try (Connection blocker = reader("nightly-report", "s"); Connection migration = guard.guard(db.connect())) {
            int pid = pid("nightly-report");
            migration.setAutoCommit(false);
            migration.createStatement().execute("INSERT INTO other VALUES (1)"); // a lock held before zdm's savepoint
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE s ADD COLUMN c int"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("zdm stopped at a lock timeout")
                    .hasMessageContaining("blocked by pid " + pid + " (application 'nightly-report'");
            migration.rollback();
        }
    }

    @Test
    void onlySessionsHoldingAConflictingLockAreNamed() throws Exception {
        // SET STATISTICS takes SHARE UPDATE EXCLUSIVE: a session holding the same mode blocks it, an open INSERT (ROW
        // EXCLUSIVE) does not, so only the first is named.
        try (Connection writer = db.connect(); Connection holder = db.connect(); Connection migration = guard.guard(db.connect())) {
            writer.createStatement().execute("SET application_name = 'writer'");
            writer.setAutoCommit(false);
            writer.createStatement().execute("INSERT INTO s VALUES (1000, 1)");
            holder.createStatement().execute("SET application_name = 'analyzer'");
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE s IN SHARE UPDATE EXCLUSIVE MODE");
            assertThatThrownBy(() -> migration.createStatement().execute("ALTER TABLE s ALTER COLUMN v SET STATISTICS 200"))
                    .isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("blocked by pid " + pid("analyzer") + " (application 'analyzer'")
                    .hasMessageNotContaining("writer");
            holder.rollback();
            migration.createStatement().execute("ALTER TABLE s ALTER COLUMN v SET STATISTICS 200"); // the writer never blocked
            writer.rollback();
        }
    }

    /** A session named {@code application} that read {@code table} in a transaction it keeps open (ACCESS SHARE). */
    private Connection reader(String application, String table) throws SQLException {
        Connection connection = db.connect();
        connection.createStatement().execute("SET application_name = '" + application + "'");
        connection.setAutoCommit(false);
        connection.createStatement().executeQuery("SELECT count(*) FROM " + table).close();
        return connection;
    }

    private int pid(String application) {
        return Integer.parseInt(db.query("SELECT pid FROM pg_stat_activity WHERE application_name = '" + application + "'"));
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
