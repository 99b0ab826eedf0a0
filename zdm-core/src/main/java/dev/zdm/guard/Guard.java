package dev.zdm.guard;

import dev.zdm.sql.TableName;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The safe-DDL guard: settings, listener, and what it learned during this run (tables created by
 * migrations). One per application; {@link #wrap} and {@link #wrapForMigrations} put it on DataSources.
 */
public final class Guard {

    private final GuardSettings settings;
    private final GuardListener listener;
    private final Set<TableName> createdTables = ConcurrentHashMap.newKeySet();

    public Guard(GuardSettings settings, GuardListener listener) {
        this.settings = settings;
        this.listener = listener == null ? GuardListener.NONE : listener;
    }

    public GuardSettings settings() {
        return settings;
    }

    public GuardListener listener() {
        return listener;
    }

    /** Whether the guard does anything ({@code mode != OFF}). */
    public boolean isOn() {
        return settings.mode() != GuardMode.OFF;
    }

    /** Guards the application's DataSource: DDL is looked at per {@link GuardSettings#scope()}. */
    public GuardedDataSource wrap(DataSource dataSource) {
        if (dataSource instanceof GuardedDataSource guarded) {
            return guarded;
        }
        return new GuardedDataSource(dataSource, this, false);
    }

    /** Guards a DataSource that migrations run with: every DDL on it is looked at. */
    public GuardedDataSource wrapForMigrations(DataSource dataSource) {
        DataSource raw = dataSource instanceof GuardedDataSource guarded ? guarded.delegate() : dataSource;
        return new GuardedDataSource(raw, this, true);
    }

    /**
     * Guards one connection that did not come from a guarded DataSource (a CLI run, or the guard switched
     * off), so zdm's own change types still get lock timeouts and retries. Without a DataSource no second
     * connection can sample blockers. Closing the result closes {@code raw}.
     */
    public java.sql.Connection guard(java.sql.Connection raw) {
        if (isGuarded(raw)) {
            return raw;
        }
        return new dev.zdm.guard.internal.GuardedConnection(raw, new GuardedDataSource(null, this, true));
    }

    /** The guard {@code connection} runs its statements through, or {@code null}. */
    public static Guard of(java.sql.Connection connection) {
        try {
            return isGuarded(connection) ? connection.unwrap(dev.zdm.guard.internal.GuardedConnection.class).guard() : null;
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /** Whether {@code connection} already runs its statements through a guard. */
    public static boolean isGuarded(java.sql.Connection connection) {
        try {
            return connection.isWrapperFor(dev.zdm.guard.internal.GuardedConnection.class);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Tables created by guarded statements in this run (no running code uses them yet). */
    public Set<TableName> createdTables() {
        return createdTables;
    }
}
