package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ConcurrentIndexTest {

    private final TestDatabase db;
    private DataSource migrations;

    ConcurrentIndexTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS file, databasechangelog, databasechangeloglock CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 20000) g");
        // these tests are about the build itself, run inside the migration (zdm.jobs.inline=true)
        migrations = new Guard(GuardSettings.defaults().withInlineJobs(true), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void waitsBehindAnOldTransactionInsteadOfTimingOut() throws Exception {
        Connection old = openOldTransaction();
        CompletableFuture<Void> build = CompletableFuture.runAsync(this::buildIndex);
        awaitBuildWaiting();
        Thread.sleep(1_500); // far past the guard's 200 ms lock timeout
        assertThat(build).as("still waiting, not failed").isNotDone();
        old.commit();
        old.close();
        build.get(60, TimeUnit.SECONDS);
        assertThat(indexState()).isEqualTo("valid");
    }

    @Test
    void anInterruptedBuildLeavesNoInvalidIndexAndTheNextRunBuildsIt() throws Exception {
        Connection old = openOldTransaction();
        CompletableFuture<Void> build = CompletableFuture.runAsync(this::buildIndex);
        int buildPid = awaitBuildWaiting();
        query("SELECT pg_terminate_backend(" + buildPid + ")::text");
        CompletableFuture<Void> releaseLater = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
                old.commit();
                old.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(build).failsWithin(Duration.ofSeconds(60));
        releaseLater.get(10, TimeUnit.SECONDS);
        assertThat(indexState()).as("the INVALID index was dropped at once").isNull();

        buildIndex();
        assertThat(indexState()).isEqualTo("valid");
    }

    @Test
    void rebuildsAnInvalidIndexFoundOnARerun() throws Exception {
        db.execute("INSERT INTO file (file_size) VALUES (-1), (-1)");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE UNIQUE INDEX CONCURRENTLY file_size_idx ON file (file_size) WHERE file_size > 0");
            statement.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'file_size_idx'::regclass");
        }
        assertThat(indexState()).isEqualTo("invalid");
        buildIndex();
        assertThat(indexState()).isEqualTo("valid");
        assertThat(query("SELECT indexdef FROM pg_indexes WHERE indexname = 'file_size_idx'"))
                .isEqualTo("CREATE INDEX file_size_idx ON public.file USING btree (file_size) WHERE (file_size > 0)");
    }

    private void buildIndex() {
        try {
            Migrations.update(migrations, "changes/cic.yaml");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection openOldTransaction() throws SQLException {
        Connection connection = db.connect();
        connection.setAutoCommit(false);
        connection.createStatement().executeQuery("SELECT txid_current()").close();
        return connection;
    }

    /** Waits until the concurrent build waits for the old transaction; returns its backend pid. */
    private int awaitBuildWaiting() throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            String pid = query("SELECT pid::text FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%'"
                    + " AND wait_event_type = 'Lock'");
            if (pid != null) {
                return Integer.parseInt(pid);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the build never started waiting");
    }

    private String indexState() throws SQLException {
        return query("SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END FROM pg_index"
                + " WHERE indexrelid = to_regclass('file_size_idx')");
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
