package dev.zdm.rehearse;

import dev.zdm.sql.LockLevel;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The strongest lock a migration session took on each relation: sampled by a monitor thread from another session
 * every few milliseconds, and by the migration session itself after each change (before its transaction commits, so
 * a quick ACCESS EXCLUSIVE is not missed).
 */
final class Locks implements AutoCloseable {

    private static final long INTERVAL_MS = 3;

    private final Map<Long, LockLevel> strongest = new ConcurrentHashMap<>();
    private final Connection monitor;
    private final int pid;
    private final Thread thread;
    private volatile boolean stopping;

    Locks(Connection monitor, int pid) {
        this.monitor = monitor;
        this.pid = pid;
        this.thread = new Thread(this::loop, "zdm-rehearse-locks-" + pid);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** {@code AccessExclusiveLock} to {@link LockLevel#ACCESS_EXCLUSIVE}. */
    static LockLevel level(String mode) {
        String name = mode.endsWith("Lock") ? mode.substring(0, mode.length() - 4) : mode;
        return LockLevel.valueOf(name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT));
    }

    /** Adds what the migration session holds now, read on its own connection. */
    void sampleOwn(Connection migration) {
        try {
            record(Catalog.locks(migration, Catalog.backendPid(migration)));
        } catch (SQLException | RuntimeException e) {
            // a sample less
        }
    }

    /** The strongest lock per relation oid. */
    Map<Long, LockLevel> strongest() {
        return Map.copyOf(strongest);
    }

    private void record(Map<Long, String> locks) {
        locks.forEach((oid, mode) -> strongest.merge(oid, level(mode), LockLevel::max));
    }

    private void loop() {
        while (!stopping) {
            try {
                record(Catalog.locks(monitor, pid));
                Thread.sleep(INTERVAL_MS);
            } catch (SQLException e) {
                if (stopping) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            monitor.close();
        } catch (SQLException e) {
            // done with it
        }
    }
}
