package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

class SampleOnGivenDatabaseTest {

    @Test
    void usesTheServerNamedBySpringDatasourceUrlAndStartsNoEmbeddedOne() {
        try (TestDatabase db = TestPostgres.shared().createDatabase("sample_given");
                ConfigurableApplicationContext app = start("--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + (db.password() == null ? "" : db.password()))) {
            assertThat(app.getBeanNamesForType(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.class)).isEmpty();
            SampleSchema.assertReleaseOneSchema(new JdbcTemplate(db.dataSource()));
        }
    }

    @Test
    void keepsTheEmbeddedDataDirectoryBetweenRestartsWhenSampleDataDirIsSet(@TempDir Path dir) {
        Path dataDir = dir.resolve("pgdata");
        try (ConfigurableApplicationContext first = start("--sample.data-dir=" + dataDir)) {
            new JdbcTemplate(first.getBean(javax.sql.DataSource.class))
                    .update("INSERT INTO file (checksum, file_size) VALUES ('kept-across-restart', 42)");
        }
        try (ConfigurableApplicationContext second = start("--sample.data-dir=" + dataDir)) {
            JdbcTemplate jdbc = new JdbcTemplate(second.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("SELECT file_size FROM file WHERE checksum = 'kept-across-restart'",
                    Integer.class)).isEqualTo(42);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM databasechangelog", Integer.class)).as("release 1, run once").isEqualTo(3);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM file", Integer.class)).as("nothing seeded unless asked").isEqualTo(1);
        }
    }

    @Test
    void seedsTheRowsItIsGivenSoTheReleaseWalkThroughHasRowsToBackfill(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = start("--sample.data-dir=" + dir.resolve("pgdata"), "--sample.release=2",
                "--sample.rows=500", "--zdm.jobs.enabled=false")) {
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM file", Integer.class)).isEqualTo(500);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM file WHERE file_size_bigint IS NULL", Integer.class))
                    .as("seeded before the expand: the backfill has them to do").isEqualTo(500);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM zdm_job WHERE kind = 'BACKFILL'", Integer.class)).isEqualTo(1);
        }
        try (ConfigurableApplicationContext again = start("--sample.data-dir=" + dir.resolve("pgdata"), "--sample.release=2",
                "--zdm.jobs.enabled=false")) {
            assertThat(new JdbcTemplate(again.getBean(javax.sql.DataSource.class)).queryForObject("SELECT count(*) FROM file",
                    Integer.class)).as("a later run without --sample.rows starts (the seed's checksum may differ)").isEqualTo(500);
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
