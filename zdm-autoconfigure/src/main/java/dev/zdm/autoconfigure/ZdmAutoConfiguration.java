package dev.zdm.autoconfigure;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardSettings;
import dev.zdm.liquibase.LiquibaseVersion;
import io.micrometer.core.instrument.MeterRegistry;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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
@AutoConfiguration(beforeName = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration")
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
                    .withStatementTimeout(guard.getStatementTimeout());
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
