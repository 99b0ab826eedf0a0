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
            assertThat(jdbc.queryForObject("SELECT count(*) FROM databasechangelog", Integer.class)).isEqualTo(2);
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
