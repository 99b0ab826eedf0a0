package dev.zdm.guard.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A prepared statement whose executions go through the guard with the SQL it was prepared with; each one run
 * after the guard's savepoint is recorded with its parameters, so a lock-timeout retry can run it again.
 */
final class GuardedPreparedStatement extends RecordingPreparedStatement {

    private final String sql;

    GuardedPreparedStatement(PreparedStatement delegate, GuardedConnection connection, String sql) {
        super(delegate, connection);
        this.sql = sql;
    }

    @Override
    public boolean execute() throws SQLException {
        return connection.runPrepared(sql, parameters, delegate::execute);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return connection.runPrepared(sql, parameters, delegate::executeUpdate);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return connection.runPrepared(sql, parameters, delegate::executeLargeUpdate);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return connection.runPrepared(sql, parameters, delegate::executeQuery);
    }

    @Override
    public void addBatch() throws SQLException {
        delegate.addBatch();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        connection.transaction().notReplayable("a prepared batch ran in this transaction");
        return super.executeBatch();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        connection.transaction().notReplayable("a prepared batch ran in this transaction");
        return super.executeLargeBatch();
    }

    @Override
    public String toString() {
        return "GuardedPreparedStatement[" + delegate + "]";
    }
}
