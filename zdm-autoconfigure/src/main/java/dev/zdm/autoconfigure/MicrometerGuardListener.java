package dev.zdm.autoconfigure;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.GuardListener;
import dev.zdm.sql.Finding;
import dev.zdm.sql.TableName;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts what the guard does: {@code zdm.guard.lock.retries} (tag {@code table}) and
 * {@code zdm.guard.refused} (tag {@code rule}). The registry is looked up at the first event, so the guard
 * (needed early, to wrap DataSources) does not pull the metrics infrastructure forward.
 */
public final class MicrometerGuardListener implements GuardListener {

    private final ObjectProvider<MeterRegistry> registry;

    public MicrometerGuardListener(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            meters.counter("zdm.guard.lock.retries", "table", table == null ? "unknown" : table.sql()).increment();
        }
    }

    @Override
    public void refused(Finding finding, ChangeSetRef changeSet) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            meters.counter("zdm.guard.refused", "rule", finding.rule().id()).increment();
        }
    }
}
