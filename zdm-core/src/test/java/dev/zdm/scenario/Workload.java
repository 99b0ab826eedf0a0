package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application while zdm works: {@link Writer}s on their own connections ({@code autosave=conservative},
 * {@code stringtype=unspecified}, as DESIGN.md says an application needs across a swap), and optionally a long reader
 * that keeps REPEATABLE READ transactions open for 0.2-0.7 s.
 */
final class Workload implements AutoCloseable {

    private final Scenario s;
    private final Stages stages;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger invalidCommitted = new AtomicInteger();
    private final List<Writer> writers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Writer.ConnectionFactory connections;
    private volatile Throwable readerFailure;
    private int readerTransactions;

    Workload(Scenario s, Stages stages, InitialData initial, Writer.ConnectionFactory connections) {
        this.s = s;
        this.stages = stages;
        this.connections = connections;
        Writer.Context context = new Writer.Context(s, stages, running, invalidCommitted, connections);
        for (int i = 0; i < s.writers(); i++) {
            writers.add(new Writer(i, context, initial.byWriter().getOrDefault(i, Map.of())));
        }
    }

    Workload start() {
        for (Writer writer : writers) {
            threads.add(new Thread(writer, "scenario-writer-" + writer.index()));
        }
        if (s.longReader()) {
            threads.add(new Thread(this::read, "scenario-reader"));
        }
        threads.forEach(Thread::start);
        return this;
    }

    private void read() {
        Random random = new Random(s.seed() * 17);
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            while (running.get()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (ResultSet rs = statement.executeQuery("SELECT count(*), max(" + s.column() + "::text) FROM " + s.table())) {
                    rs.next();
                }
                Thread.sleep(200 + random.nextInt(500));
                connection.commit();
                readerTransactions++;
                connection.setAutoCommit(true);
                Thread.sleep(100);
            }
        } catch (SQLException | RuntimeException e) {
            readerFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int invalidCommitted() {
        return invalidCommitted.get();
    }

    /** Stops every thread after its current transaction. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    /** Errors the application saw, each with the statement it ran: any is a difference (the twin took every write). */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (Writer writer : writers) {
            if (writer.failure != null) {
                failures.add("writer " + writer.index() + " failed: " + writer.failure + " in: " + writer.failedStatement);
            }
        }
        if (readerFailure != null) {
            failures.add("long reader failed: " + readerFailure);
        }
        return failures;
    }

    /** The writers' final rows, key → values (keys of deleted or moved rows absent). */
    Map<String, RowValues> finalRows() {
        Map<String, RowValues> rows = new LinkedHashMap<>();
        writers.forEach(w -> rows.putAll(w.committed));
        return rows;
    }

    /** Every key any writer owned. */
    Set<String> touchedKeys() {
        Set<String> keys = new HashSet<>();
        writers.forEach(w -> keys.addAll(w.touched));
        return keys;
    }

    /** Keys whose committed value the new type refuses → that value. */
    Map<String, String> invalidValues() {
        Map<String, String> values = new LinkedHashMap<>();
        writers.forEach(w -> values.putAll(w.invalid));
        return values;
    }

    int serializationFailures() {
        return writers.stream().mapToInt(w -> w.serializationFailures).sum();
    }

    /** Committed statements by kind, retries, and each writer's last statements. */
    String summary() {
        Map<Op, Integer> ops = new EnumMap<>(Op.class);
        writers.forEach(w -> w.done().forEach((op, n) -> ops.merge(op, n, Integer::sum)));
        StringBuilder out = new StringBuilder("committed statements " + ops + "; 40001 retries " + serializationFailures()
                + ", 40P01 " + writers.stream().mapToInt(w -> w.deadlocks).sum() + ", invalid values written "
                + invalidCommitted() + ", late invalid writes refused " + writers.stream().mapToInt(w -> w.lateInvalidRefused).sum()
                + ", statements prepared again after 42804 " + writers.stream().mapToInt(w -> w.reprepared).sum()
                + (s.longReader() ? ", reader transactions " + readerTransactions : "") + "; longest waits (ms) "
                + stages.longestWaitMillis());
        for (Writer writer : writers) {
            out.append("\n  writer ").append(writer.index()).append(" last statements:");
            writer.recent().forEach(st -> out.append("\n    ").append(st));
        }
        return out.toString();
    }
}
