package dev.zdm.guard.internal;

import dev.zdm.guard.GuardedDataSource;
import dev.zdm.sql.StatementClassifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * A connection whose statements run DDL under the guard. Internal: obtained from {@link GuardedDataSource}.
 * Calls without SQL go straight to the wrapped connection; {@code prepareCall} is not guarded.
 */
public final class GuardedConnection extends DelegatingConnection {

    private final GuardedDataSource dataSource;
    private final TransactionTracker transaction = new TransactionTracker();

    public GuardedConnection(Connection delegate, GuardedDataSource dataSource) {
        super(delegate);
        this.dataSource = dataSource;
    }

    GuardedDataSource dataSource() {
        return dataSource;
    }

    /** The guard this connection runs under. */
    public dev.zdm.guard.Guard guard() {
        return dataSource.guard();
    }

    /**
     * The connection underneath, for code that takes its locks with its own budget and retries (a cutover's swap
     * transaction): statements run on it are neither timed nor retried by the guard.
     */
    public Connection unguarded() {
        return delegate;
    }

    /** A DataSource for side connections (watching, sampling), or {@code null} when this connection has none. */
    public javax.sql.DataSource sideDataSource() {
        return dataSource.delegate();
    }

    Connection raw() {
        return delegate;
    }

    TransactionTracker transaction() {
        return transaction;
    }

    /**
     * Whether the guard looks at the SQL string: DDL whenever it guards, and in a migration (not one of zdm's own
     * changes) also UPDATE, DELETE and DO, which the rules judge there.
     */
    private boolean looksAt(String sql) {
        if (!dataSource.guardsNow()) {
            return false;
        }
        return StatementClassifier.mayBeDdl(sql) || GuardedExecution.inMigration() && StatementClassifier.mayBeJudgedInMigration(sql);
    }

    /** Runs one SQL string given as text: straight through unless the guard looks at it. */
    <R> R run(String sql, SqlCallable<R> action) throws SQLException {
        if (!looksAt(sql)) {
            R result = action.call();
            transaction.record(sql);
            return result;
        }
        return GuardedExecution.run(this, sql, action, () -> transaction.record(sql), true);
    }

    /** Runs a prepared statement's SQL; recorded with its parameters for a replay after the guard's savepoint. */
    <R> R runPrepared(String sql, ParameterLog parameters, SqlCallable<R> action) throws SQLException {
        if (!looksAt(sql)) {
            R result = action.call();
            transaction.recordPrepared(sql, parameters);
            return result;
        }
        return GuardedExecution.run(this, sql, action, () -> transaction.recordPrepared(sql, parameters), true);
    }

    /** Runs a batch: judged and given timeouts, but never retried (a driver clears a batch once executed). */
    <R> R runBatch(String script, SqlCallable<R> action) throws SQLException {
        if (!looksAt(script)) {
            R result = action.call();
            transaction.notReplayable("a batch ran in this transaction");
            return result;
        }
        R result = GuardedExecution.run(this, script, action, () -> { }, false);
        transaction.notReplayable("a batch ran in this transaction");
        return result;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new GuardedStatement<>(delegate.createStatement(), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new GuardedStatement<>(delegate.createStatement(resultSetType, resultSetConcurrency), this);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new GuardedStatement<>(delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability),
                this);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return new GuardedPreparedStatement(delegate.prepareStatement(sql), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return new GuardedPreparedStatement(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return new GuardedPreparedStatement(
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return new GuardedPreparedStatement(delegate.prepareStatement(sql, autoGeneratedKeys), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return new GuardedPreparedStatement(delegate.prepareStatement(sql, columnIndexes), this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return new GuardedPreparedStatement(delegate.prepareStatement(sql, columnNames), this, sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        transaction.notReplayable("a callable statement ran in this transaction");
        return delegate.prepareCall(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        transaction.notReplayable("a callable statement ran in this transaction");
        return delegate.prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        transaction.notReplayable("a callable statement ran in this transaction");
        return delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        transaction.reset();
    }

    @Override
    public void commit() throws SQLException {
        try {
            delegate.commit();
        } finally {
            transaction.reset();
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            delegate.rollback();
        } finally {
            transaction.reset();
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        transaction.notReplayable("the application set a savepoint in this transaction");
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        transaction.notReplayable("the application set a savepoint in this transaction");
        return delegate.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
        transaction.notReplayable("the transaction was rolled back to an application savepoint");
    }

    @Override
    public void close() throws SQLException {
        transaction.reset();
        delegate.close();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "GuardedConnection[" + delegate + "]";
    }
}
