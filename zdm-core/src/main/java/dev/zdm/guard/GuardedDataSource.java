package dev.zdm.guard;

import dev.zdm.guard.internal.GuardedConnection;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose connections run DDL under the guard. Create one with {@link Guard#wrap} or
 * {@link Guard#wrapForMigrations}. {@code unwrap} reaches the wrapped pool, so pool metrics keep working.
 */
public final class GuardedDataSource implements DataSource {

    private final DataSource delegate;
    private final Guard guard;
    private final boolean migrations;

    GuardedDataSource(DataSource delegate, Guard guard, boolean migrations) {
        this.delegate = delegate;
        this.guard = guard;
        this.migrations = migrations;
    }

    /** The wrapped DataSource. */
    public DataSource delegate() {
        return delegate;
    }

    public Guard guard() {
        return guard;
    }

    /** Whether every DDL on it is guarded (the DataSource migrations run with). */
    public boolean isForMigrations() {
        return migrations;
    }

    /** Whether a statement run now, on this thread, is looked at. Internal: called on every execution. */
    public boolean guardsNow() {
        return guard.isOn() && (migrations || guard.settings().scope() == GuardScope.ALL || MigrationContext.current() != null);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return new GuardedConnection(delegate.getConnection(), this);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return new GuardedConnection(delegate.getConnection(username, password), this);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    /**
     * Closes the wrapped DataSource if it can be closed (a pool), so whoever owns this wrapper (Spring's
     * inferred destroy method, Boot's DataSource-closing Liquibase) closes the pool as it would unwrapped.
     */
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "GuardedDataSource[" + (migrations ? "migrations, " : "") + guard.settings().mode() + ", " + delegate + "]";
    }
}
