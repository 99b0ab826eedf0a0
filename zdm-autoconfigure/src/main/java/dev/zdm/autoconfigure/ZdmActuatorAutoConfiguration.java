package dev.zdm.autoconfigure;

import dev.zdm.jobs.Jobs;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.servlet.HandlerExceptionResolver;
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
    BackfillsEndpoint backfillsEndpoint(Jobs jobs, ObjectProvider<DataSource> dataSource,
            ObjectProvider<EndpointAccessResolver> access) {
        EndpointId id = EndpointId.of("backfills");
        // Boot's own resolution (management.endpoint.backfills.access capped by management.endpoints.access.max-permitted)
        return new BackfillsEndpoint(jobs, dataSource.getIfUnique(), () -> {
            EndpointAccessResolver resolver = access.getIfAvailable();
            return resolver != null && resolver.accessFor(id, Access.READ_ONLY) == Access.UNRESTRICTED;
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({HandlerExceptionResolver.class, WebEndpointProperties.class})
    @ConditionalOnAvailableEndpoint(endpoint = BackfillsEndpoint.class)
    static class WriteRefusalConfiguration {

        @Bean
        @ConditionalOnMissingBean
        BackfillsWriteRefusal backfillsWriteRefusal(WebEndpointProperties web) {
            return new BackfillsWriteRefusal(web.getBasePath() + "/" + web.getPathMapping().getOrDefault("backfills", "backfills"));
        }
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
