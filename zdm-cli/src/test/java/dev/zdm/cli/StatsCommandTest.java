package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code zdm-cli stats} against a real PostgreSQL: the stats file on stdout, exit 2 on usage, 1 when unreachable. */
@ExtendWith(PostgresExtension.class)
class StatsCommandTest {

    private final TestDatabase db;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    StatsCommandTest(TestDatabase db) {
        this.db = db;
    }

    private int run(String... args) {
        return ZdmCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheRowCountsOfAnAnalyzedDatabase() {
        db.execute("DROP TABLE IF EXISTS file", "CREATE TABLE file (id int PRIMARY KEY)",
                "INSERT INTO file SELECT generate_series(1, 12345)", "ANALYZE file");
        List<String> args = new ArrayList<>(List.of("stats", "--url", db.jdbcUrl(), "--username", db.user()));
        if (db.password() != null) {
            args.addAll(List.of("--password", db.password()));
        }
        assertThat(run(args.toArray(String[]::new))).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String file = out.toString(StandardCharsets.UTF_8);
        assertThat(file).startsWith("# zdm stats: row counts from pg_class.reltuples").contains("\npublic.file 12345\n");
    }

    @Test
    void usageAndConnectionErrors() {
        assertThat(run("stats")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url is required");
        assertThat(run("stats", "--url", "jdbc:mysql://x/y")).isEqualTo(2);
        assertThat(run("stats", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--username", "x")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("zdm stats: cannot read the catalog of jdbc:postgresql://127.0.0.1:1/none");
    }
}
