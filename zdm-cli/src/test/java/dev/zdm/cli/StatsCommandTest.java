package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.rehearse.ProductionStats;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code zdm-cli stats --url ... > FILE}: the file {@code rehearse --stats FILE} reads, from the catalog only. */
@ExtendWith(PostgresExtension.class)
class StatsCommandTest {

    private final TestDatabase db;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    StatsCommandTest(TestDatabase db) {
        this.db = db;
    }

    private int run(String... args) {
        return ZdmCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheRowCountsOfEveryTableThatRehearseReads() throws Exception {
        db.execute("DROP TABLE IF EXISTS file CASCADE", "CREATE TABLE file (id bigint PRIMARY KEY)",
                "INSERT INTO file SELECT generate_series(1, 20000)", "ANALYZE file");

        int exit = run("stats", "--url", db.jdbcUrl(), "--username", db.user(), "--password", db.password());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("# zdm stats").contains("PostgreSQL");
        ProductionStats stats = ProductionStats.read(Files.writeString(dir.resolve("stats.txt"), text));
        assertThat(stats.rows("file").getAsLong()).isBetween(19_000L, 21_000L);
    }

    @Test
    void usageAndConnectionErrorsSayWhatIsWrong() {
        assertThat(run("stats")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url is required");
        assertThat(run("stats", "--url", "mysql://db/app")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("must be a PostgreSQL JDBC URL");
        assertThat(run("stats", "--url", db.jdbcUrl(), "--rows", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--rows'");
        assertThat(run("stats", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--username", "x", "--password", "y")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the catalog of jdbc:postgresql://127.0.0.1:1/none");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
