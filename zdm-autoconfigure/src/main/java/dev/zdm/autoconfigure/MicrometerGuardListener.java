package dev.zdm.autoconfigure;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.GuardListener;
import dev.zdm.sql.Finding;
import dev.zdm.sql.Rule;
import dev.zdm.sql.TableName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The guard's meters, all registered when the registry binds (zero until something happens):
 * <ul>
 *   <li>{@code zdm.guard.lock.retries} (counter, tag {@code table}; a {@code table=none} series exists from the
 *       start so a query has something to sum)</li>
 *   <li>{@code zdm.guard.refused} (counter, tag {@code rule}, one series per rule)</li>
 *   <li>{@code zdm.guard.lock.wait} (timer, tag {@code outcome}: {@code acquired} or {@code gave-up}): time a guarded
 *       DDL lost to lock timeouts and backoffs</li>
 *   <li>{@code zdm.cutover.lock.wait} (timer, tag {@code outcome}): time a cutover's or revert's swap transaction
 *       waited for its locks</li>
 *   <li>{@code zdm.guard.autovacuum.cancelled} (counter): autovacuum workers zdm cancelled</li>
 * </ul>
 * Before the registry binds (the guard is built early, to wrap DataSources) events look the registry up lazily, so
 * the guard does not pull the metrics infrastructure forward.
 */
public final class MicrometerGuardListener implements GuardListener, MeterBinder {

    static final String NO_TABLE = "none";

    private final ObjectProvider<MeterRegistry> registry;

    public MicrometerGuardListener(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        retries(meters, NO_TABLE);
        for (Rule rule : Rule.values()) {
            refused(meters, rule.id());
        }
        for (String outcome : new String[] { "acquired", "gave-up" }) {
            guardWait(meters, outcome);
            cutoverWait(meters, outcome);
        }
        autovacuum(meters);
    }

    @Override
    public void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            retries(meters, table == null ? "unknown" : table.sql()).increment();
        }
    }

    @Override
    public void refused(Finding finding, ChangeSetRef changeSet) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            refused(meters, finding.rule().id()).increment();
        }
    }

    @Override
    public void autovacuumCancelled(TableName table, int pid, String vacuumedTable) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            autovacuum(meters).increment();
        }
    }

    @Override
    public void lockWaited(TableName table, Duration waited, boolean acquired) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            guardWait(meters, acquired ? "acquired" : "gave-up").record(waited);
        }
    }

    @Override
    public void cutoverLockWaited(TableName table, Duration waited, boolean acquired) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            cutoverWait(meters, acquired ? "acquired" : "gave-up").record(waited);
        }
    }

    private static Counter retries(MeterRegistry meters, String table) {
        return Counter.builder("zdm.guard.lock.retries").tag("table", table)
                .description("Attempts of a guarded DDL or swap transaction that timed out waiting for its lock and"
                        + " were tried again")
                .register(meters);
    }

    private static Counter refused(MeterRegistry meters, String rule) {
        return Counter.builder("zdm.guard.refused").tag("rule", rule)
                .description("Statements the guard refused before they ran, by rule")
                .register(meters);
    }

    private static Counter autovacuum(MeterRegistry meters) {
        return Counter.builder("zdm.guard.autovacuum.cancelled")
                .description("Autovacuum workers zdm cancelled because they alone blocked a guarded DDL")
                .register(meters);
    }

    private static Timer guardWait(MeterRegistry meters, String outcome) {
        return Timer.builder("zdm.guard.lock.wait").tag("outcome", outcome)
                .description("Time a guarded DDL lost to lock timeouts and backoffs before the attempt that got its"
                        + " lock (outcome=acquired) or before zdm gave up (outcome=gave-up)")
                .register(meters);
    }

    private static Timer cutoverWait(MeterRegistry meters, String outcome) {
        return Timer.builder("zdm.cutover.lock.wait").tag("outcome", outcome)
                .description("Time the swap transaction of a cutover or revert waited for all its locks, over every"
                        + " attempt (outcome=acquired) or until zdm gave up (outcome=gave-up)")
                .register(meters);
    }
}
