package dev.zdm.guard.internal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The parameters bound to one prepared statement, kept so that the guard can run it again after rolling back
 * to its savepoint. Remembers only while {@code recording} says so (a guarded transaction is under way), so
 * the application's statements outside it allocate nothing. A parameter bound while not recording, or one
 * that cannot be bound twice (a stream, a reader, a LOB or array handle), makes the statement unreplayable
 * until {@link #clear()}.
 */
final class ParameterLog {

    /** One setter call, to be made again on a fresh statement. */
    interface Setter {
        void apply(PreparedStatement statement) throws SQLException;
    }

    private final BooleanSupplier recording;
    private TreeMap<Integer, Setter> setters;
    private String unreplayable;

    ParameterLog(BooleanSupplier recording) {
        this.recording = recording;
    }

    /** Whether to remember a setter call for {@code index}; when not, the statement is no longer replayable. */
    boolean remember(int index) {
        if (recording.getAsBoolean()) {
            return true;
        }
        if (unreplayable == null) {
            unreplayable = "parameter " + index + " was bound before zdm's savepoint";
        }
        return false;
    }

    void put(int index, Setter setter) {
        if (setters == null) {
            setters = new TreeMap<>();
        }
        setters.put(index, setter);
    }

    /** Notes a parameter whose value cannot be bound a second time. */
    void unreplayable(int index, String how) {
        if (unreplayable == null) {
            unreplayable = "parameter " + index + " was bound with " + how;
        }
    }

    /** A value given to {@code setObject} that cannot be bound twice, or {@code null} when it can. */
    static String notRebindable(Object value) {
        if (value instanceof InputStream || value instanceof Reader || value instanceof java.sql.Blob
                || value instanceof java.sql.Clob || value instanceof java.sql.Array || value instanceof java.sql.Ref
                || value instanceof java.sql.SQLXML || value instanceof java.sql.RowId) {
            return "setObject(" + value.getClass().getSimpleName() + ")";
        }
        return null;
    }

    void clear() {
        setters = null;
        unreplayable = null;
    }

    /** Why the bound parameters cannot be replayed, or {@code null} when they can. */
    String whyNotReplayable() {
        return unreplayable;
    }

    /** The setter calls in parameter order. */
    List<Setter> setters() {
        return setters == null ? List.of() : List.copyOf(setters.values());
    }
}
