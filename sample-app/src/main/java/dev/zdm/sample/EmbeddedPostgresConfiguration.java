package dev.zdm.sample;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts an embedded PostgreSQL for the sample when {@code spring.datasource.url} is not set, so the
 * walk-through runs on a machine with nothing but a JDK. With {@code spring.datasource.url} set, Spring
 * Boot's own DataSource is used and nothing here runs.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDataSourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(SampleProperties properties) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (properties.getDataDir() != null) {
            Files.createDirectories(properties.getDataDir());
            builder.setDataDirectory(properties.getDataDir()).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL listening on port {} with data in {}", postgres.getPort(),
                properties.getDataDir() != null ? properties.getDataDir() : "a temporary directory");
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    DataSource dataSource(EmbeddedPostgres postgres) {
        return DataSourceBuilder.create().type(HikariDataSource.class)
                // autosave=conservative: prepared statements survive the column swap (see the README)
                .url("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?autosave=conservative")
                .username("postgres")
                .build();
    }

    static final class NoDataSourceUrl implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
