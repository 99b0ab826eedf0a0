package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.ZdmDefaults;
import dev.zdm.guard.GuardMode;
import dev.zdm.guard.GuardScope;
import dev.zdm.liquibase.UnsupportedLiquibaseVersionException;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.core.JdbcTemplate;

@ExtendWith(PostgresExtension.class)
class ZdmAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZdmAutoConfiguration.class));

    @Test
    void bindsTheDefaultsOfTheCore() {
        contextRunner.run(context -> {
            ZdmProperties properties = context.getBean(ZdmProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.getGuard().getMode()).isEqualTo(GuardMode.ENFORCE);
            assertThat(properties.getGuard().getScope()).isEqualTo(GuardScope.MIGRATIONS);
            assertThat(properties.getGuard().getLockTimeout()).isEqualTo(Duration.ofMillis(200));
            assertThat(properties.getGuard().getLockRetries()).isEqualTo(20);
            assertThat(properties.getGuard().getStatementTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.getGuard().getStartAfter()).isNull();
            assertThat(properties.getGuard().isCancelAutovacuum()).isTrue();
            assertThat(properties.getJobs().isEnabled()).isTrue();
            assertThat(properties.getBackfill().getBatchSize()).isEqualTo(ZdmDefaults.BACKFILL_BATCH_SIZE);
            assertThat(properties.getBackfill().getParallelism()).isEqualTo(ZdmDefaults.BACKFILL_PARALLELISM);
            assertThat(properties.getCutover().getLockTimeout()).isEqualTo(Duration.ofMillis(200));
        });
    }

    @Test
    void bindsEveryPropertyOfTheContract() {
        contextRunner.withPropertyValues("zdm.guard.mode=warn", "zdm.guard.scope=all", "zdm.guard.lock-timeout=50ms",
                "zdm.guard.lock-retries=3", "zdm.guard.statement-timeout=2s", "zdm.guard.start-after=db/old.xml::7::me",
                "zdm.guard.cancel-autovacuum=false", "zdm.jobs.enabled=false", "zdm.jobs.inline=true", "zdm.backfill.batch-size=500",
                "zdm.backfill.target-batch-time=1s",
                "zdm.backfill.max-rows-per-second=20000", "zdm.backfill.pause-between-batches=0ms",
                "zdm.backfill.max-replication-lag=30s", "zdm.backfill.poll-interval=1s", "zdm.backfill.parallelism=4",
                "zdm.cutover.lock-timeout=100ms").run(context -> {
                    ZdmProperties p = context.getBean(ZdmProperties.class);
                    assertThat(p.getGuard().getMode()).isEqualTo(GuardMode.WARN);
                    assertThat(p.getGuard().getScope()).isEqualTo(GuardScope.ALL);
                    assertThat(p.getGuard().getLockTimeout()).isEqualTo(Duration.ofMillis(50));
                    assertThat(p.getGuard().getLockRetries()).isEqualTo(3);
                    assertThat(p.getGuard().getStatementTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(p.getGuard().getStartAfter()).isEqualTo("db/old.xml::7::me");
                    assertThat(p.getGuard().isCancelAutovacuum()).isFalse();
                    assertThat(context.getBean(dev.zdm.guard.Guard.class).settings().cancelAutovacuum())
                            .as("reaches the guard").isFalse();
                    assertThat(p.getJobs().isEnabled()).isFalse();
                    assertThat(p.getJobs().isInline()).isTrue();
                    assertThat(p.getBackfill().getBatchSize()).isEqualTo(500);
                    assertThat(p.getBackfill().getTargetBatchTime()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(p.getBackfill().getMaxRowsPerSecond()).isEqualTo(20000);
                    assertThat(p.getBackfill().getPauseBetweenBatches()).isZero();
                    assertThat(p.getBackfill().getMaxReplicationLag()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.getBackfill().getPollInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(p.getBackfill().getParallelism()).isEqualTo(4);
                    assertThat(p.getCutover().getLockTimeout()).isEqualTo(Duration.ofMillis(100));
                    assertThat(context.getBean(dev.zdm.guard.Guard.class).settings().cutoverLockTimeout())
                            .as("the swap transactions read it from the guard").isEqualTo(Duration.ofMillis(100));
                    assertThat(context.getBean(dev.zdm.guard.Guard.class).settings().lockTimeout()).isEqualTo(Duration.ofMillis(50));
                    assertThat(context.getBean(dev.zdm.guard.Guard.class).settings().inlineJobs()).isTrue();
                });
    }

    @Test
    void namesTheOffendingPropertyWhenAValueIsOutOfRange() {
        contextRunner.withPropertyValues("zdm.guard.lock-retries=-1").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("zdm.guard.lock-retries must be 0 or more, not -1"));
        contextRunner.withPropertyValues("zdm.guard.lock-timeout=0ms").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("zdm.guard.lock-timeout must be a positive duration"));
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withPropertyValues("zdm.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ZdmProperties.class);
            assertThat(context).doesNotHaveBean(LiquibaseVersionVerifier.class);
        });
    }

    @Test
    void stopsBeforeMigratingWhenTheApplicationRunsLiquibaseFive() {
        contextRunner.withBean(LiquibaseVersionVerifier.class, () -> new LiquibaseVersionVerifier(() -> "5.0.3"))
                .withBean(SpringLiquibase.class).run(context -> {
                    assertThat(context).getFailure().rootCause().isInstanceOf(UnsupportedLiquibaseVersionException.class);
                    FailureAnalysis analysis = new UnsupportedLiquibaseVersionFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("runs Liquibase 5.0.3").contains("not open source");
                    assertThat(analysis.getAction()).contains("<liquibase.version>4.33.0</liquibase.version>")
                            .contains("zdm.enabled=false");
                });
    }

    @Test
    void registersTheFailureAnalyzerForSpringBootToFind() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
                    // analyzers of Boot itself need a bean factory to be built; only ours matters here
                })))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(UnsupportedLiquibaseVersionFailureAnalyzer.class))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(ZdmChangeFailureAnalyzer.class));
    }

    @Test
    void migratesARealDatabaseWithThePinnedLiquibase(TestDatabase db) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        LiquibaseAutoConfiguration.class, ZdmAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                        "spring.liquibase.change-log=classpath:db/changelog-basic.yaml")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LiquibaseVersionVerifier.class);
                    JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
                    assertThat(jdbc.queryForObject("SELECT data_type FROM information_schema.columns"
                            + " WHERE table_name = 'file' AND column_name = 'file_size'", String.class)).isEqualTo("integer");
                    assertThat(jdbc.queryForObject("SELECT count(*) FROM databasechangelog", Integer.class)).isEqualTo(1);
                });
    }

    @Test
    void describesEveryPropertyForIdes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-boot-configuration-processor ran").isNotNull();
            String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String name : new String[] { "zdm.enabled", "zdm.guard.mode", "zdm.guard.scope", "zdm.guard.lock-timeout",
                    "zdm.guard.lock-retries", "zdm.guard.statement-timeout", "zdm.guard.start-after",
                    "zdm.guard.cancel-autovacuum", "zdm.jobs.enabled", "zdm.jobs.inline",
                    "zdm.backfill.batch-size", "zdm.backfill.target-batch-time", "zdm.backfill.max-rows-per-second",
                    "zdm.backfill.pause-between-batches", "zdm.backfill.max-replication-lag", "zdm.backfill.poll-interval",
                    "zdm.backfill.parallelism", "zdm.cutover.lock-timeout" }) {
                assertThat(metadata).contains("\"name\": \"" + name + "\"");
            }
            assertThat(metadata).contains("Maximum time one attempt of a guarded DDL waits for its lock.");
        }
    }
}
