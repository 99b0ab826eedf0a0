package dev.zdm.autoconfigure;

import dev.zdm.jobs.Jobs;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code backfills} actuator endpoint and the {@code backfills} health indicator. */
@AutoConfiguration(after = ZdmAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "zdm.enabled", matchIfMissing = true)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Jobs.class)
public final class ZdmActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    BackfillsEndpoint backfillsEndpoint(Jobs jobs) {
        return new BackfillsEndpoint(jobs);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("backfills")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "backfillsHealthIndicator")
        BackfillsHealthIndicator backfillsHealthIndicator(Jobs jobs) {
            return new BackfillsHealthIndicator(jobs);
        }
    }
}
