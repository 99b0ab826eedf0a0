package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session that keeps running one short statement on a table (a point read, or a one-row UPDATE in its own
 * transaction), a few milliseconds apart, and remembers the longest time a statement took: how long an application's
 * query would have waited. A failing statement (the table dropped, a column gone) counts with the time it took.
 */
final class Probe implements AutoCloseable {

    /** What the probe does. */
    enum Kind { READ, WRITE }

    private static final long PAUSE_MS = 5;

    private final Connection connection;
    private final String table;
    private final Kind kind;
    private final String sql;
    private final Thread thread;
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong statements = new AtomicLong();
    private volatile long runningSince;
    private volatile boolean stopping;

    Probe(Connection connection, String table, Kind kind, String sql) {
        this.connection = connection;
        this.table = table;
        this.kind = kind;
        this.sql = sql;
        this.thread = new Thread(this::loop, "zdm-rehearse-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + table);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String table() {
        return table;
    }

    Kind kind() {
        return kind;
    }

    /** Forgets the longest wait so far: a new measurement window starts. */
    void reset() {
        longestNanos.set(0);
    }

    /**
     * The longest wait since {@link #reset()}: first lets the statement that is running now finish (it may be the one
     * that waited longest), for at most {@code patienceMs}, and counts it as still waiting if it does not.
     */
    long longestWaitMs(long patienceMs) {
        long seen = statements.get();
        long since = runningSince;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
        while (since != 0 && statements.get() == seen && System.nanoTime() < deadline && thread.isAlive()) {
            sleep(2);
        }
        long running = runningSince;
        long longest = longestNanos.get();
        if (running != 0 && statements.get() == seen) {
            longest = Math.max(longest, System.nanoTime() - running);
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    private void loop() {
        while (!stopping) {
            long started = System.nanoTime();
            runningSince = started;
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                if (stopping) {
                    break;
                }
            }
            long took = System.nanoTime() - started;
            runningSince = 0;
            longestNanos.accumulateAndGet(took, Math::max);
            statements.incrementAndGet();
            sleep(PAUSE_MS);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            // closing anyway
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
