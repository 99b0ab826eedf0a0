package dev.zdm.autoconfigure;

import dev.zdm.liquibase.LiquibaseVersion;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Autoconfiguration of zdm: binds {@link ZdmProperties} and, where Liquibase runs, checks its version
 * before the first migration.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration")
@ConditionalOnBooleanProperty(name = "zdm.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ZdmProperties.class)
public final class ZdmAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ SpringLiquibase.class, LiquibaseAutoConfiguration.class })
    static class LiquibaseConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static LiquibaseVersionVerifier zdmLiquibaseVersionVerifier() {
            return new LiquibaseVersionVerifier(LiquibaseVersion::installed);
        }
    }
}
