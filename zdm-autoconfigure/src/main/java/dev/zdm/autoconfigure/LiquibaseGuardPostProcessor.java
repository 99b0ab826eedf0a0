package dev.zdm.autoconfigure;

import dev.zdm.guard.Guard;
import dev.zdm.guard.MigrationContext;
import dev.zdm.liquibase.ZdmChangeExecListener;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.integration.spring.Customizer;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Before a {@link SpringLiquibase} migrates, guards whatever DataSource it ended up with (the application's,
 * or its own from {@code spring.liquibase.url}) so every DDL it runs is looked at, and installs zdm's change
 * listener so refusals name the changeset and the overrides work.
 */
final class LiquibaseGuardPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<Guard> guard;
    private final ObjectProvider<ZdmProperties> properties;

    LiquibaseGuardPostProcessor(ObjectProvider<Guard> guard, ObjectProvider<ZdmProperties> properties) {
        this.guard = guard;
        this.properties = properties;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase liquibase) {
            DataSource dataSource = liquibase.getDataSource();
            if (dataSource != null) {
                liquibase.setDataSource(guard.getObject().wrapForMigrations(dataSource));
            }
            String startAfter = properties.getObject().getGuard().getStartAfter();
            Customizer<Liquibase> previous = liquibase.getCustomizer();
            liquibase.setCustomizer(instance -> {
                if (previous != null) {
                    previous.customize(instance);
                }
                instance.setChangeExecListener(new ZdmChangeExecListener(startAfter));
            });
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SpringLiquibase) {
            MigrationContext.clear(); // the migration ran on this thread; nothing of it may linger
        }
        return bean;
    }
}
