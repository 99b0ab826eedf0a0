package dev.zdm.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.rehearse.ProductionStats;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stats goal writes the file the rehearse goal's {@code zdm.stats} reads. */
@ExtendWith(PostgresExtension.class)
class StatsMojoTest {

    private final TestDatabase db;

    @TempDir
    Path dir;

    StatsMojoTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void writesTheStatsFileAndFailsTheBuildWhenTheServerDoesNotAnswer() throws Exception {
        db.execute("DROP TABLE IF EXISTS file CASCADE", "CREATE TABLE file (id bigint PRIMARY KEY)",
                "INSERT INTO file SELECT generate_series(1, 5000)", "ANALYZE file");
        StatsMojo mojo = new StatsMojo();
        mojo.url = db.jdbcUrl();
        mojo.username = db.user();
        mojo.password = db.password();
        mojo.output = dir.resolve("out/stats.txt").toFile();

        mojo.execute();

        assertThat(ProductionStats.read(mojo.output.toPath()).rows("file").getAsLong()).isBetween(4_500L, 5_500L);

        mojo.url = "jdbc:postgresql://127.0.0.1:1/none";
        assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("cannot read the catalog");
    }
}
