package dev.zdm.guard.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a lock-timeout retry inside a transaction safe: retrying in place would sleep while earlier
 * statements of the transaction still hold their locks.
 *
 * <ol>
 *   <li>Before the first guarded DDL of a transaction, note whether the transaction already holds a lock a
 *       writer could wait on ({@link HeldLocks}: row locks, or a table lock of mode Share or stronger), then
 *       set savepoint {@code zdm_guard} and start recording every statement, prepared ones with their
 *       parameters.</li>
 *   <li>On a lock timeout, roll back to {@code zdm_guard}: every lock taken since is released, row locks
 *       included.</li>
 *   <li>Back off holding nothing a writer waits on, then replay the recorded statements and retry the one
 *       that timed out.</li>
 *   <li>When that is impossible (such a lock was held before the savepoint, or a statement ran since that
 *       cannot be replayed: a batch, a callable statement, a parameter that was a stream, an application
 *       savepoint), fail at once instead of sleeping with locks held.</li>
 * </ol>
 */
final class TransactionTracker {

    private static final String SAVEPOINT = "zdm_guard";

    private boolean active;
    private NotRetryable notRetryable;
    private final List<Replay> statements = new ArrayList<>();

    /** Why a retry in the transaction is impossible, and what the author can do about it. */
    record NotRetryable(String why, String fix) {
    }

    /** One statement run since the savepoint, as it can be run again. */
    private interface Replay {
        void run(Connection raw) throws SQLException;
    }

    boolean active() {
        return active;
    }

    /** Sets the savepoint before the transaction's first guarded DDL. */
    void begin(Connection raw) throws SQLException {
        if (active) {
            return;
        }
        String held = HeldLocks.describe(raw);
        notRetryable = held == null ? null : new NotRetryable("the transaction already held " + held
                + " before zdm's savepoint; rolling back to it would not release them",
                "Put the DDL in its own changeset, or before the writes and locks of its transaction, so zdm can retry it"
                        + " holding nothing the application waits for.");
        try (Statement statement = raw.createStatement()) {
            statement.execute("SAVEPOINT " + SAVEPOINT);
        }
        active = true;
        statements.clear();
    }

    /** Records a statement given as text that ran in the transaction after the savepoint. */
    void record(String sql) {
        if (active) {
            statements.add(raw -> {
                try (Statement statement = raw.createStatement()) {
                    statement.execute(sql);
                }
            });
        }
    }

    /** Records a prepared statement that ran after the savepoint, with the parameters it ran with. */
    void recordPrepared(String sql, ParameterLog parameters) {
        if (!active) {
            return;
        }
        String unreplayable = parameters.whyNotReplayable();
        if (unreplayable != null) {
            notReplayable("a prepared statement whose parameters cannot be replayed (" + unreplayable
                    + ") ran after zdm's savepoint: " + sql);
            return;
        }
        List<ParameterLog.Setter> setters = parameters.setters();
        statements.add(raw -> {
            try (PreparedStatement statement = raw.prepareStatement(sql)) {
                for (ParameterLog.Setter setter : setters) {
                    setter.apply(statement);
                }
                statement.execute();
            }
        });
    }

    /** Marks the transaction as not replayable because of a statement that ran after the savepoint. */
    void notReplayable(String reason) {
        if (active && notRetryable == null) {
            notRetryable = new NotRetryable(reason, "Run that statement in a transaction (changeset) of its own, or after"
                    + " the DDL, so zdm can replay what ran since its savepoint.");
        }
    }

    /** Why a retry inside this transaction is impossible, or {@code null} when it is possible. */
    NotRetryable whyNotRetryable() {
        return notRetryable;
    }

    /** Rolls back to the savepoint, releasing every lock taken since. */
    void rollbackToStart(Connection raw) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
        }
    }

    /** Runs the recorded statements again, in order. */
    void replay(Connection raw) throws SQLException {
        for (Replay statement : statements) {
            statement.run(raw);
        }
    }

    /** Forgets the transaction (it ended). */
    void reset() {
        active = false;
        notRetryable = null;
        statements.clear();
    }
}
