package dev.zdm.autoconfigure;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardedDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/** Wraps every DataSource bean in the guard. {@code unwrap} still reaches the pool, so pool metrics work. */
final class GuardDataSourcePostProcessor implements BeanPostProcessor {

    private final ObjectProvider<Guard> guard;

    GuardDataSourcePostProcessor(ObjectProvider<Guard> guard) {
        this.guard = guard;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof GuardedDataSource)) {
            return guard.getObject().wrap(dataSource);
        }
        return bean;
    }
}
