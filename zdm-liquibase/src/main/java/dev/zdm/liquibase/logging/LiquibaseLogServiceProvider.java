package dev.zdm.liquibase.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the zdm-liquibase bundle: zdm's messages go to the Liquibase run they belong to
 * ({@link LiquibaseLogger}). In the bundle, SLF4J is relocated, so this provider is the only one zdm's code sees,
 * whatever other SLF4J jars lie in Liquibase's {@code lib/}.
 */
public final class LiquibaseLogServiceProvider implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = LiquibaseLogger::new;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
