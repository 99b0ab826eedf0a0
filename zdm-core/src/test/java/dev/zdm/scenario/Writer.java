package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer thread of the workload. It owns a disjoint set of keys (its share of the initial rows, and every key it
 * inserts or moves a row to), so it knows the last committed value of each: {@link #committed} is the oracle's input.
 * Transactions of 1-3 statements, one in five at REPEATABLE READ; 40001 and 40P01 roll back (counted) and the
 * transaction's changes are discarded.
 */
final class Writer implements Runnable {

    /** Everything a writer needs from the scenario run. */
    record Context(Scenario scenario, Stages stages, AtomicBoolean running, AtomicInteger invalidCommitted,
            ConnectionFactory connections) {
    }

    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final int index;
    private final Context context;
    private final Scenario s;
    private final Random random;
    private final String t;
    final Map<String, RowValues> committed = new HashMap<>();
    /** Every key this writer owned at some point: the twin deletes these, then inserts {@link #committed}. */
    final Set<String> touched = new HashSet<>();
    /** Keys holding a value the new type refuses, with that value; never written again. */
    final Map<String, String> invalid = new HashMap<>();
    private final List<String> live = new ArrayList<>();
    private final Map<String, Integer> livePosition = new HashMap<>();
    private final Map<Op, Integer> done = new EnumMap<>(Op.class);
    private final Deque<String> recent = new ArrayDeque<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private long nextKey;
    private long nextUnique;
    private boolean forcedInvalid;
    int serializationFailures;
    int deadlocks;
    int lateInvalidRefused;
    int reprepared;
    volatile Throwable failure;
    volatile String failedStatement;

    Writer(int index, Context context, Map<String, RowValues> initial) {
        this.index = index;
        this.context = context;
        this.s = context.scenario();
        this.random = new Random(s.seed() * 31 + index);
        this.t = s.table();
        this.nextKey = 10_000_000L + index * 1_000_000L;
        this.nextUnique = 100_000L * (index + 1);
        committed.putAll(initial);
        touched.addAll(initial.keySet());
        initial.keySet().stream().sorted().forEach(this::addLive);
    }

    /** The changes of the transaction in progress; applied to {@link #committed} only at commit. */
    private final class Txn {
        final Map<String, RowValues> rows = new HashMap<>(); // null value: deleted
        final List<String> added = new ArrayList<>();
        final Set<String> removed = new HashSet<>();
        final Map<String, String> invalidNow = new HashMap<>();

        RowValues row(String key) {
            return rows.containsKey(key) ? rows.get(key) : committed.get(key);
        }

        void apply() {
            rows.forEach((key, row) -> {
                if (row == null) {
                    committed.remove(key);
                } else {
                    committed.put(key, row);
                }
            });
            removed.forEach(Writer.this::removeLive);
            added.forEach(Writer.this::addLive);
            touched.addAll(added);
            invalidNow.forEach((key, value) -> {
                invalid.put(key, value);
                removeLive(key);
                context.invalidCommitted().incrementAndGet();
            });
        }
    }

    @Override
    public void run() {
        try (Connection connection = context.connections().open()) {
            connection.setAutoCommit(false);
            while (context.running().get()) {
                boolean repeatable = random.nextInt(5) == 0;
                connection.setTransactionIsolation(repeatable ? Connection.TRANSACTION_REPEATABLE_READ
                        : Connection.TRANSACTION_READ_COMMITTED);
                Txn txn = new Txn();
                List<Op> ops = new ArrayList<>();
                try {
                    int statementsInTxn = 1 + random.nextInt(3);
                    for (int i = 0; i < statementsInTxn; i++) {
                        ops.add(step(connection, txn));
                    }
                    connection.commit();
                    txn.apply();
                    ops.forEach(op -> done.merge(op, 1, Integer::sum));
                } catch (SQLException e) {
                    rollbackQuietly(connection);
                    String state = e.getSQLState() == null ? "" : e.getSQLState();
                    if (state.equals("40001")) {
                        serializationFailures++;
                    } else if (state.equals("40P01")) {
                        deadlocks++;
                    } else if (state.startsWith("22") && !txn.invalidNow.isEmpty() && !context.stages().current().beforeCutover()) {
                        lateInvalidRefused++; // a value only the old type takes, sent just as the cutover happened
                    } else if (state.equals("42804") && !context.stages().current().beforeCutover()) {
                        // A statement pgjdbc prepared on the server before the swap keeps its parameter types (a plain
                        // ALTER does the same to it): the application prepares its statements again.
                        reprepared++;
                        closeStatements();
                    } else {
                        failure = e;
                        failedStatement = recent.peekLast();
                        return;
                    }
                }
                Thread.sleep(4 + random.nextInt(8));
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
            failedStatement = recent.peekLast();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Op step(Connection connection, Txn txn) throws SQLException {
        Op op = pickOp();
        String key = op.needsRow() ? pickKey(txn) : null;
        if (op.needsRow() && key == null) {
            op = Op.INSERT;
        }
        RowValues row = key == null ? null : txn.row(key);
        boolean onKey = s.change().onKey();
        switch (op) {
            case UPDATE_COLUMN -> {
                String value = value(txn, key);
                expectOne(execute(connection, "UPDATE " + t + " SET c = ? WHERE id = ?", value, key), op, key);
                txn.rows.put(key, derived(row.withC(value)));
            }
            case UPDATE_OTHER -> {
                String note = "w" + index + "-" + random.nextInt(1_000_000);
                expectOne(execute(connection, "UPDATE " + t + " SET note = ? WHERE id = ?", note, key), op, key);
                txn.rows.put(key, row.withNote(note));
            }
            case UPDATE_FACTORS -> {
                String a = Integer.toString(random.nextInt(1000));
                String b = Integer.toString(random.nextInt(1000));
                expectOne(execute(connection, "UPDATE " + t + " SET a = ?, b = ? WHERE id = ?", a, b, key), op, key);
                txn.rows.put(key, derived(row.withFactors(a, b)));
            }
            case UPDATE_KEY -> {
                String newKey = newKey();
                expectOne(execute(connection, "UPDATE " + t + " SET id = ? WHERE id = ?", newKey, key), op, key);
                txn.rows.put(key, null);
                txn.rows.put(newKey, row);
                txn.removed.add(key);
                txn.added.add(newKey);
            }
            case DELETE -> {
                expectOne(execute(connection, "DELETE FROM " + t + " WHERE id = ?", key), op, key);
                txn.rows.put(key, null);
                txn.removed.add(key);
            }
            case INSERT, UPSERT -> {
                boolean existing = op == Op.UPSERT && random.nextBoolean();
                String target = existing ? pickKey(txn) : null;
                target = target == null ? newKey() : target;
                RowValues values = fresh(txn, target);
                String sql = onKey ? "INSERT INTO " + t + " (id, note, a, b) VALUES (?, ?, ?, ?)"
                        : "INSERT INTO " + t + " (id, c, note, a, b) VALUES (?, ?, ?, ?, ?)";
                if (op == Op.UPSERT) {
                    sql += " ON CONFLICT (id) DO UPDATE SET " + (onKey ? "" : "c = excluded.c, ")
                            + "note = excluded.note, a = excluded.a, b = excluded.b";
                }
                expectOne(onKey ? execute(connection, sql, target, values.note(), values.a(), values.b())
                        : execute(connection, sql, target, values.c(), values.note(), values.a(), values.b()), op, target);
                if (txn.row(target) == null) {
                    txn.added.add(target);
                }
                txn.rows.put(target, values);
            }
            case INSERT_WITHOUT_COLUMN -> {
                String target = newKey();
                RowValues values = derived(new RowValues(s.has(ObjectKind.DEFAULT) ? s.change().defaultValue() : null,
                        note(), factor(), factor()));
                expectOne(execute(connection, "INSERT INTO " + t + " (id, note, a, b) VALUES (?, ?, ?, ?)", target,
                        values.note(), values.a(), values.b()), op, target);
                txn.added.add(target);
                txn.rows.put(target, values);
            }
            case INSERT_GENERATED_KEY -> {
                RowValues values = fresh(txn, null);
                String sql = onKey ? "INSERT INTO " + t + " (note, a, b) VALUES (?, ?, ?) RETURNING id::text"
                        : "INSERT INTO " + t + " (c, note, a, b) VALUES (?, ?, ?, ?) RETURNING id::text";
                String target = onKey ? returning(connection, sql, values.note(), values.a(), values.b())
                        : returning(connection, sql, values.c(), values.note(), values.a(), values.b());
                txn.added.add(target);
                txn.rows.put(target, values);
                if (txn.invalidNow.containsKey(null)) {
                    txn.invalidNow.put(target, txn.invalidNow.remove(null));
                }
            }
        }
        return op;
    }

    private RowValues fresh(Txn txn, String key) {
        String c = s.change().onKey() ? null : value(txn, key);
        return derived(new RowValues(c, note(), factor(), factor()));
    }

    /** With the application's deriving trigger, the column is {@code a * b} whatever was written. */
    private RowValues derived(RowValues row) {
        if (!s.has(ObjectKind.DERIVING_TRIGGER)) {
            return row;
        }
        return row.withC(Long.toString(Long.parseLong(row.a()) * Long.parseLong(row.b())));
    }

    /** A value for the column; an invalid one (remembered for {@code key}) now and then where the scenario says. */
    private String value(Txn txn, String key) {
        Stage stage = context.stages().current();
        boolean invalidNow = s.invalid() == InvalidValues.WRITTEN && (stage == Stage.EXPAND || stage == Stage.JOBS)
                && (random.nextInt(20) == 0 || (index == 0 && stage == Stage.JOBS && !forcedInvalid));
        long n = s.uniqueValues() ? nextUnique++ : s.has(ObjectKind.FK_OUT) ? random.nextInt(200) : random.nextInt(5000);
        if (invalidNow) {
            forcedInvalid = true;
            String value = s.change().invalid(n);
            txn.invalidNow.put(key, value);
            return value;
        }
        return s.change().valid(n);
    }

    private String note() {
        return "w" + index + "-" + random.nextInt(1_000_000);
    }

    private String factor() {
        return Integer.toString(random.nextInt(1000));
    }

    private String newKey() {
        return s.key().literal(nextKey++);
    }

    private Op pickOp() {
        int total = 0;
        for (Op op : Op.values()) {
            total += op.appliesTo(s) ? op.weight : 0;
        }
        int at = random.nextInt(total);
        for (Op op : Op.values()) {
            if (op.appliesTo(s)) {
                at -= op.weight;
                if (at < 0) {
                    return op;
                }
            }
        }
        throw new IllegalStateException();
    }

    private String pickKey(Txn txn) {
        for (int attempt = 0; attempt < 8 && !live.isEmpty(); attempt++) {
            String key = live.get(random.nextInt(live.size()));
            if (!txn.removed.contains(key) && !txn.invalidNow.containsKey(key) && txn.row(key) != null) {
                return key;
            }
        }
        return null;
    }

    private void addLive(String key) {
        if (!livePosition.containsKey(key)) {
            livePosition.put(key, live.size());
            live.add(key);
        }
    }

    private void removeLive(String key) {
        Integer at = livePosition.remove(key);
        if (at == null) {
            return;
        }
        String last = live.remove(live.size() - 1);
        if (at < live.size()) {
            live.set(at, last);
            livePosition.put(last, at);
        }
    }

    private int execute(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement ps = prepare(connection, sql, parameters);
        Stage stage = context.stages().current();
        long start = System.nanoTime();
        try {
            return ps.executeUpdate();
        } finally {
            context.stages().record(stage, System.nanoTime() - start);
        }
    }

    private String returning(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement ps = prepare(connection, sql, parameters);
        Stage stage = context.stages().current();
        long start = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } finally {
            context.stages().record(stage, System.nanoTime() - start);
        }
    }

    private PreparedStatement prepare(Connection connection, String sql, String... parameters) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                ps.setNull(i + 1, Types.OTHER);
            } else {
                ps.setString(i + 1, parameters[i]);
            }
        }
        remember(context.stages().current() + " " + sql + " " + String.join(", ", java.util.Arrays.stream(parameters)
                .map(String::valueOf).toList()));
        return ps;
    }

    private void expectOne(int count, Op op, String key) {
        if (count != 1) {
            throw new IllegalStateException(op + " of key " + key + " affected " + count + " rows, not 1 (the writer owns it)");
        }
    }

    private void remember(String statement) {
        recent.addLast(statement);
        if (recent.size() > 6) {
            recent.removeFirst();
        }
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a broken connection
            }
        }
        statements.clear();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next statement says so
        }
    }

    int index() {
        return index;
    }

    Map<Op, Integer> done() {
        return done;
    }

    List<String> recent() {
        return List.copyOf(recent);
    }
}
