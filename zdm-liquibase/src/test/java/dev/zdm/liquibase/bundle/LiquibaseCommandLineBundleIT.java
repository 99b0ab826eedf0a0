package dev.zdm.liquibase.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle used as a user does: {@code liquibase update} in a JVM of its own whose classpath is what a Liquibase
 * 4.33.0 installation has (liquibase-core, its dependencies, the PostgreSQL driver) plus {@code zdm-liquibase.jar} in
 * {@code lib/} — no zdm classes or SLF4J from anywhere else, so a class missing from the bundle fails here.
 */
@ExtendWith(PostgresExtension.class)
class LiquibaseCommandLineBundleIT {

    private final TestDatabase db;

    LiquibaseCommandLineBundleIT(TestDatabase db) {
        this.db = db;
    }

    @Test
    void updateShowsTheGuardsRetryNamingTheBlockerAndTheRegisteredJobsOnTheConsole(@TempDir Path dir) throws Exception {
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
        int blockerPid = Integer.parseInt(db.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'nightly-report'"));
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

        Run run = liquibase(dir, "update", "--changelog-file=changelog.yaml");
        release.get(60, TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).as("what the user sees")
                .contains("zdm: lock timeout, retrying in")
                .contains("blocked by pid " + blockerPid + " (application 'nightly-report'")
                .contains("registered background job(s) file.file_size_zdm")
                .contains("zdm-cli jobs run");
        assertThat(db.query("SELECT count(*) FROM zdm_job WHERE name LIKE 'file.file_size_zdm%' AND state = 'PENDING'"))
                .isNotEqualTo("0");
        assertThat(db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'file'"
                + " AND column_name = 'file_size_zdm'")).isEqualTo("bigint");
    }

    private record Run(int exit, String output) {
    }

    /** {@code liquibase ARGS} as the installation runs it: java -cp lib/* liquibase.integration.commandline.LiquibaseCommandLine. */
    private Run liquibase(Path dir, String... args) throws Exception {
        Path bundle = Path.of(System.getProperty("zdm.liquibase.jar", "target/zdm-liquibase.jar")).toAbsolutePath();
        assertThat(bundle).exists();
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(LiquibaseCommandLineBundleIT::inALiquibaseInstallation).collect(Collectors.joining(File.pathSeparator))
                + File.pathSeparator + bundle;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dliquibase.analytics.enabled=false", "-cp", classpath, "liquibase.integration.commandline.LiquibaseCommandLine",
                "--show-banner=false", "--url=" + db.jdbcUrl(), "--username=" + db.user(), "--password=" + db.password(),
                "--search-path=" + dir));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println("zdm test: liquibase " + String.join(" ", args) + " printed:\n" + output);
        return new Run(process.exitValue(), output);
    }

    /** Liquibase, its dependencies and the driver: not zdm's classes (they must come from the bundle), nor SLF4J. */
    private static boolean inALiquibaseInstallation(String entry) {
        String path = entry.replace('\\', '/');
        return !path.contains("/org/slf4j/") && !path.contains("/target/") && !path.contains("zdm-core")
                && !path.contains("zdm-test-support") && !path.contains("/dev/zdm/");
    }
}
