package dev.zdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A job's fence belongs to that job alone: another job, even one whose name hashes alike, never cancels its statement. */
@ExtendWith(PostgresExtension.class)
class JobFenceTest {

    private final TestDatabase db;

    JobFenceTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void twoJobsWhoseNamesCollideInHashtextHaveTheirOwnFences() throws Exception {
        // ~77,000 names give a 32-bit collision with probability 1/2; 300,000 make one all but certain.
        String[] pair = db.query("SELECT a || ',' || b FROM (SELECT min(n) a, max(n) b FROM (SELECT 't.index.i' || g n"
                + " FROM generate_series(1, 300000) g) s GROUP BY hashtext(n) HAVING count(*) > 1 LIMIT 1) c").split(",");
        assertThat(db.query("SELECT hashtext('" + pair[0] + "') = hashtext('" + pair[1] + "')")).isEqualTo("t");

        try (Connection first = db.connect(); Connection second = db.connect()) {
            JobFence firstFence = JobFence.acquire(first, pair[0], Duration.ofSeconds(1));
            assertThat(firstFence).isNotNull();
            CompletableFuture<Void> firstStatement = CompletableFuture.runAsync(() -> sleep(first, 3));
            waitUntilActive(pair[0]);

            JobFence secondFence = JobFence.acquire(second, pair[1], Duration.ofSeconds(1));

            assertThat(secondFence).as("the second job's fence").isNotNull();
            firstStatement.get(10, TimeUnit.SECONDS); // not cancelled: it would throw
            assertThat(heldFences(second)).isEqualTo(2);
            secondFence.close();
            firstFence.close();
            assertThat(heldFences(second)).isZero();
        }
    }

    @Test
    void aSecondSessionOfTheSameJobCancelsTheFirstsStatement() throws Exception {
        try (Connection first = db.connect(); Connection second = db.connect()) {
            JobFence firstFence = JobFence.acquire(first, "t.index.same", Duration.ofSeconds(1));
            CompletableFuture<Void> firstStatement = CompletableFuture.runAsync(() -> sleep(first, 30));
            waitUntilActive("t.index.same");

            JobFence secondFence = JobFence.acquire(second, "t.index.same", Duration.ofSeconds(5));

            assertThat(firstStatement).failsWithin(Duration.ofSeconds(10)); // cancelled, so the fence could pass
            // The cancelled session still holds its session-level fence but runs nothing of the job any more: passed by.
            assertThat(secondFence).isNotNull();
            secondFence.close();
            firstFence.close();
        }
    }

    private void waitUntilActive(String job) throws InterruptedException {
        for (int i = 0; i < 100 && !"t".equals(db.query("SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active')")); i++) {
            Thread.sleep(50);
        }
    }

    private static int heldFences(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND granted")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sleep(Connection connection, int seconds) {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_sleep(" + seconds + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
