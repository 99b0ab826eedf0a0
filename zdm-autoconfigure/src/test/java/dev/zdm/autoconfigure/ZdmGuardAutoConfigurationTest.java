package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardedDataSource;
import dev.zdm.guard.UnsafeMigrationException;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

@ExtendWith(PostgresExtension.class)
class ZdmGuardAutoConfigurationTest {

    private final TestDatabase db;
    private final ApplicationContextRunner app;

    ZdmGuardAutoConfigurationTest(TestDatabase db) {
        this.db = db;
        this.app = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, LiquibaseAutoConfiguration.class,
                        ZdmAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                        "spring.liquibase.enabled=false");
    }

    @BeforeEach
    void fileTableWithRows() {
        db.execute("DROP TABLE IF EXISTS file, databasechangelog, databasechangeloglock",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 100) g");
    }

    @Test
    void guardsTheApplicationDataSourceAndStillLetsBootReachThePool() {
        app.run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(GuardedDataSource.class);
            assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class))
                    .isInstanceOf(HikariDataSource.class);
            assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM file", Integer.class)).isEqualTo(100);
        });
    }

    @Test
    void keepsHikariMetricsWorking() {
        app.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class)).run(context -> {
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(GuardedDataSource.class);
                    new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT 1", Integer.class);
                    assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").gauge()).isNotNull();
                });
    }

    @Test
    void wrapsNothingWhenTheGuardIsOffOrZdmIsDisabled() {
        for (String setting : new String[] { "zdm.guard.mode=off", "zdm.enabled=false" }) {
            app.withPropertyValues(setting).run(context -> {
                assertThat(context).doesNotHaveBean(Guard.class);
                assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
            });
        }
    }

    @Test
    void stopsStartUpAtAnUnsafeChangesetWithoutApplyingIt() {
        app.withPropertyValues("spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/unsafe.yaml")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).rootCause().isInstanceOf(UnsafeMigrationException.class)
                            .hasMessageContaining("changeset: db/unsafe.yaml::2-index::app")
                            .hasMessageContaining("table:     public.file")
                            .hasMessageContaining("rule:      create-index-blocking")
                            .hasMessageContaining("instead:   use zdm's createIndexConcurrently");
                    FailureAnalysis analysis = new UnsafeMigrationFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription()).contains("create-index-blocking");
                    assertThat(analysis.getAction()).contains("allowUnsafe").contains("zdm.guard.start-after");
                });
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        assertThat(jdbc.queryForList("SELECT id FROM databasechangelog ORDER BY orderexecuted", String.class))
                .containsExactly("1-note");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_indexes WHERE indexname = 'file_size_idx'", Integer.class))
                .isZero();
    }

    @Test
    void countsRefusalsByRule() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        app.withPropertyValues("spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/unsafe.yaml")
                .withBean(MeterRegistry.class, () -> registry)
                .run(context -> assertThat(context).hasFailed());
        assertThat(registry.get("zdm.guard.refused").tag("rule", "create-index-blocking").counter().count()).isEqualTo(1);
    }

    @Test
    void startsWhenTheChangesetIsHistoryOrGivesAReason() {
        app.withPropertyValues("spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/unsafe.yaml",
                "zdm.guard.start-after=db/unsafe.yaml::2-index::app").run(context -> assertThat(context).hasNotFailed());
        fileTableWithRows();
        app.withPropertyValues("spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/allowed.yaml")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(new JdbcTemplate(db.dataSource()).queryForObject(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'file_size_idx'", Integer.class)).isEqualTo(1);
    }

    @Test
    void guardsTheDataSourceLiquibaseBuildsForItself() {
        app.withPropertyValues("spring.liquibase.enabled=true", "spring.liquibase.change-log=classpath:db/unsafe.yaml",
                "spring.liquibase.url=" + db.jdbcUrl(), "spring.liquibase.user=" + db.user(),
                "spring.liquibase.password=" + (db.password() == null ? "" : db.password()))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(UnsafeMigrationException.class));
    }

    @Test
    void guardsNothingOfTheApplicationsOwnDdlByDefault() {
        app.run(context -> new JdbcTemplate(context.getBean(DataSource.class)).execute("CREATE INDEX file_size_idx ON file (file_size)"));
        assertThat(new JdbcTemplate(db.dataSource()).queryForObject(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'file_size_idx'", Integer.class)).isEqualTo(1);
    }
}
