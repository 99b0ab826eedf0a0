package dev.zdm.autoconfigure;

import dev.zdm.liquibase.LiquibaseVersion;
import java.util.function.Supplier;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Checks the Liquibase version just before a {@link SpringLiquibase} bean migrates, so an application
 * that ended up with Liquibase 5.x stops with a clear message instead of running zdm's change types on
 * a Liquibase they were not built for.
 */
public final class LiquibaseVersionVerifier implements BeanPostProcessor {

    private final Supplier<String> version;

    public LiquibaseVersionVerifier(Supplier<String> version) {
        this.version = version;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase) {
            LiquibaseVersion.check(version.get());
        }
        return bean;
    }
}
