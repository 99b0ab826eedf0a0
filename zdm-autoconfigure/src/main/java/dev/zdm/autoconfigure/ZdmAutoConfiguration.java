package dev.zdm.autoconfigure;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.BackfillThrottle;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.Jobs;
import dev.zdm.liquibase.LiquibaseVersion;
import java.util.List;
import javax.sql.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Autoconfiguration of zdm: binds {@link ZdmProperties}, puts the safe-DDL guard on every DataSource and on
 * the one Liquibase migrates with, and checks the Liquibase version before the first migration.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "zdm.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ZdmProperties.class)
public final class ZdmAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Conditional(GuardOnCondition.class)
    static class GuardConfiguration {

        @Bean
        @ConditionalOnMissingBean
        Guard zdmGuard(ZdmProperties properties, ObjectProvider<GuardListener> listeners) {
            ZdmProperties.Guard guard = properties.getGuard();
            GuardSettings settings = GuardSettings.defaults().withMode(guard.getMode()).withScope(guard.getScope())
                    .withLockTimeout(guard.getLockTimeout(), guard.getLockRetries())
                    .withStatementTimeout(guard.getStatementTimeout()).withCancelAutovacuum(guard.isCancelAutovacuum())
                    .withCutoverLockTimeout(properties.getCutover().getLockTimeout())
                    .withInlineJobs(properties.getJobs().isInline());
            return new Guard(settings, GuardListener.all(listeners.orderedStream().toList()));
        }

        @Bean
        static GuardDataSourcePostProcessor zdmGuardDataSourcePostProcessor(ObjectProvider<Guard> guard) {
            return new GuardDataSourcePostProcessor(guard);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @Conditional(GuardOnCondition.class)
    static class GuardMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MicrometerGuardListener zdmGuardMetrics(ObjectProvider<MeterRegistry> registry) {
            return new MicrometerGuardListener(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JobsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        Jobs zdmJobs(DataSource dataSource) {
            return new Jobs(dataSource);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBooleanProperty(name = "zdm.jobs.enabled", matchIfMissing = true)
        JobRunnerLifecycle zdmJobRunner(DataSource dataSource, ZdmProperties properties, ObjectProvider<JobListener> listeners,
                ObjectProvider<BackfillThrottle> throttles) {
            ZdmProperties.Backfill b = properties.getBackfill();
            JobSettings settings = new JobSettings(b.getBatchSize(), b.getTargetBatchTime(), b.getMaxRowsPerSecond(),
                    b.getPauseBetweenBatches(), b.getMaxReplicationLag(), b.getPollInterval(), b.getParallelism(),
                    properties.getGuard().getLockTimeout(), JobSettings.defaults().lease());
            List<JobListener> all = listeners.orderedStream().toList();
            JobListener listener = new JobListener() {
                @Override
                public void batch(String job, long rows, java.time.Duration elapsed) {
                    all.forEach(l -> l.batch(job, rows, elapsed));
                }

                @Override
                public void throttled(String job, String reason) {
                    all.forEach(l -> l.throttled(job, reason));
                }
            };
            return new JobRunnerLifecycle(new JobRunner(dataSource, settings, listener, throttles.orderedStream().toList()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JobMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MicrometerJobListener zdmJobMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<Jobs> jobs,
                ObjectProvider<DataSource> dataSource) {
            return new MicrometerJobListener(registry, jobs, dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ SpringLiquibase.class, LiquibaseAutoConfiguration.class })
    static class LiquibaseConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static LiquibaseVersionVerifier zdmLiquibaseVersionVerifier() {
            return new LiquibaseVersionVerifier(LiquibaseVersion::installed);
        }

        @Bean
        @Conditional(GuardOnCondition.class)
        static LiquibaseGuardPostProcessor zdmLiquibaseGuardPostProcessor(ObjectProvider<Guard> guard,
                ObjectProvider<ZdmProperties> properties) {
            return new LiquibaseGuardPostProcessor(guard, properties);
        }
    }
}
