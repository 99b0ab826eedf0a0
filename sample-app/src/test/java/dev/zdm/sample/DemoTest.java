package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The demo at a small row count: every stage runs, no writer error, no lost update, short waits only with zdm. */
class DemoTest {

    @Test
    void walksAllReleasesWithWritersAndReportsEachStage() {
        try (TestDatabase db = TestPostgres.shared().createDatabase("sample_demo");
                ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
                        .web(WebApplicationType.NONE).run("--sample.demo=true", "--sample.rows=20000",
                                "--spring.datasource.url=" + db.jdbcUrl() + "?autosave=conservative",
                                "--spring.datasource.username=" + db.user(),
                                "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                                "--zdm.backfill.poll-interval=200ms")) {
            Demo demo = app.getBean(Demo.class);
            Map<String, long[]> summary = demo.summary();
            assertThat(summary).containsOnlyKeys("2 expand", "   background jobs", "3 cutover", "4 contract",
                    "plain ALTER TABLE (copy)");
            summary.forEach((stage, values) -> assertThat(values[1]).as("writer errors in %s", stage).isZero());
            assertThat(demo.lostUpdates()).isZero();
            assertThat(new JdbcTemplate(db.dataSource()).queryForObject("SELECT format_type(atttypid, atttypmod)"
                    + " FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size'", String.class))
                    .isEqualTo("bigint");
        }
    }
}
