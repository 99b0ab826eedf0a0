package dev.zdm.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/** A third session that keeps reading a table and remembers the longest time one read had to wait. */
final class ReaderProbe implements AutoCloseable {

    private final Thread thread;
    private final AtomicLong longestMillis = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    ReaderProbe(DataSource dataSource, String table) {
        thread = new Thread(() -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = '30s'");
                while (running) {
                    long start = System.nanoTime();
                    statement.executeQuery("SELECT count(*) FROM " + table).close();
                    longestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    reads.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException | RuntimeException e) {
                failure.set(e);
            }
        }, "reader-probe-" + table);
        thread.start();
    }

    /** Longest single read, in milliseconds. */
    long longestMillis() {
        return longestMillis.get();
    }

    long reads() {
        return reads.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
        if (failure.get() != null) {
            throw new AssertionError("the reader failed", failure.get());
        }
    }
}
