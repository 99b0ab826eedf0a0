package dev.zdm.liquibase.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import liquibase.integration.commandline.LiquibaseCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase's own command line ({@link LiquibaseCommandLine}, what the {@code liquibase} script starts) in this JVM,
 * with the bundle's SLF4J provider the only one on the classpath: zdm's messages reach the console the user reads.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseCommandLineTest {

    private final TestDatabase db;

    LiquibaseCommandLineTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aRetryBehindABlockerAndTheRegisteredJobsAreOnTheConsoleAtTheDefaultLogLevel(@TempDir Path dir) throws Exception {
        db.execute("CREATE TABLE file (id bigint PRIMARY KEY, file_size integer NOT NULL)",
                "INSERT INTO file SELECT g, g FROM generate_series(1, 1000) g");
        Files.writeString(dir.resolve("changelog.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 1-expand
                      author: dba
                      changes:
                        - expandColumnType: { tableName: file, columnName: file_size, newDataType: bigint }
                """);
        Connection blocker = db.connect();
        blocker.createStatement().execute("SET application_name = 'nightly-report'");
        blocker.setAutoCommit(false);
        blocker.createStatement().executeQuery("SELECT count(*) FROM file").close();
        String blockerPid = db.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'nightly-report'");
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 300 && "0".equals(db.query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'ALTER TABLE file%'")); i++) {
                    Thread.sleep(50);
                }
                Thread.sleep(700); // a few lock timeouts of 200 ms: the guard retries
                blocker.rollback();
                blocker.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int exit;
        try (PrintStream captured = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            System.setErr(captured);
            System.setProperty("liquibase.analytics.enabled", "false");
            exit = new LiquibaseCommandLine().execute(new String[] { "--show-banner=false", "--url=" + db.jdbcUrl(),
                "--username=" + db.user(), "--password=" + db.password(), "--search-path=" + dir,
                "update", "--changelog-file=changelog.yaml" });
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.clearProperty("liquibase.analytics.enabled");
        }
        release.get(60, TimeUnit.SECONDS);
        String output = console.toString(StandardCharsets.UTF_8);
        System.out.println("zdm test: liquibase update printed:\n" + output);

        assertThat(exit).as(output).isZero();
        assertThat(output).contains("zdm: lock timeout, retrying in")
                .contains("blocked by pid " + blockerPid + " (application 'nightly-report'")
                .contains("registered background job(s) file.file_size_zdm")
                .contains("zdm-cli jobs run --url JDBC_URL --until-done");
        assertThat(db.query("SELECT string_agg(name || ' ' || state, ', ' ORDER BY name) FROM zdm_job"))
                .contains("file.file_size_zdm PENDING").contains("file.file_size_zdm.analyze PENDING");
    }
}
