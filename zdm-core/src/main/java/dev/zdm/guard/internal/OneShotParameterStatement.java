package dev.zdm.guard.internal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.*;

/**
 * Owns the {@link ParameterLog} of a guarded prepared statement and marks parameters that can be read only
 * once (streams, readers) or are handles into the session (LOB, array, ref, row id, XML): with one of those
 * bound, the statement cannot be run a second time after the guard rolls back to its savepoint.
 */
abstract class OneShotParameterStatement extends DelegatingPreparedStatement {

    protected final ParameterLog parameters;

    protected OneShotParameterStatement(PreparedStatement delegate, GuardedConnection connection) {
        super(delegate, connection);
        TransactionTracker transaction = connection.transaction();
        this.parameters = new ParameterLog(transaction::active);
    }

    @Override
    public void clearParameters() throws SQLException {
        super.clearParameters();
        parameters.clear();
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
        super.setAsciiStream(a0, a1, a2);
        parameters.unreplayable(a0, "setAsciiStream");
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
        super.setAsciiStream(a0, a1, a2);
        parameters.unreplayable(a0, "setAsciiStream");
    }

    @Override
    public void setAsciiStream(int a0, InputStream a1) throws SQLException {
        super.setAsciiStream(a0, a1);
        parameters.unreplayable(a0, "setAsciiStream");
    }

    @Override
    public void setUnicodeStream(int a0, InputStream a1, int a2) throws SQLException {
        super.setUnicodeStream(a0, a1, a2);
        parameters.unreplayable(a0, "setUnicodeStream");
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
        super.setBinaryStream(a0, a1, a2);
        parameters.unreplayable(a0, "setBinaryStream");
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
        super.setBinaryStream(a0, a1, a2);
        parameters.unreplayable(a0, "setBinaryStream");
    }

    @Override
    public void setBinaryStream(int a0, InputStream a1) throws SQLException {
        super.setBinaryStream(a0, a1);
        parameters.unreplayable(a0, "setBinaryStream");
    }

    @Override
    public void setCharacterStream(int a0, Reader a1, int a2) throws SQLException {
        super.setCharacterStream(a0, a1, a2);
        parameters.unreplayable(a0, "setCharacterStream");
    }

    @Override
    public void setCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        super.setCharacterStream(a0, a1, a2);
        parameters.unreplayable(a0, "setCharacterStream");
    }

    @Override
    public void setCharacterStream(int a0, Reader a1) throws SQLException {
        super.setCharacterStream(a0, a1);
        parameters.unreplayable(a0, "setCharacterStream");
    }

    @Override
    public void setNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        super.setNCharacterStream(a0, a1, a2);
        parameters.unreplayable(a0, "setNCharacterStream");
    }

    @Override
    public void setNCharacterStream(int a0, Reader a1) throws SQLException {
        super.setNCharacterStream(a0, a1);
        parameters.unreplayable(a0, "setNCharacterStream");
    }

    @Override
    public void setRef(int a0, Ref a1) throws SQLException {
        super.setRef(a0, a1);
        parameters.unreplayable(a0, "setRef");
    }

    @Override
    public void setBlob(int a0, Blob a1) throws SQLException {
        super.setBlob(a0, a1);
        parameters.unreplayable(a0, "setBlob");
    }

    @Override
    public void setBlob(int a0, InputStream a1, long a2) throws SQLException {
        super.setBlob(a0, a1, a2);
        parameters.unreplayable(a0, "setBlob");
    }

    @Override
    public void setBlob(int a0, InputStream a1) throws SQLException {
        super.setBlob(a0, a1);
        parameters.unreplayable(a0, "setBlob");
    }

    @Override
    public void setClob(int a0, Clob a1) throws SQLException {
        super.setClob(a0, a1);
        parameters.unreplayable(a0, "setClob");
    }

    @Override
    public void setClob(int a0, Reader a1, long a2) throws SQLException {
        super.setClob(a0, a1, a2);
        parameters.unreplayable(a0, "setClob");
    }

    @Override
    public void setClob(int a0, Reader a1) throws SQLException {
        super.setClob(a0, a1);
        parameters.unreplayable(a0, "setClob");
    }

    @Override
    public void setNClob(int a0, NClob a1) throws SQLException {
        super.setNClob(a0, a1);
        parameters.unreplayable(a0, "setNClob");
    }

    @Override
    public void setNClob(int a0, Reader a1, long a2) throws SQLException {
        super.setNClob(a0, a1, a2);
        parameters.unreplayable(a0, "setNClob");
    }

    @Override
    public void setNClob(int a0, Reader a1) throws SQLException {
        super.setNClob(a0, a1);
        parameters.unreplayable(a0, "setNClob");
    }

    @Override
    public void setArray(int a0, Array a1) throws SQLException {
        super.setArray(a0, a1);
        parameters.unreplayable(a0, "setArray");
    }

    @Override
    public void setRowId(int a0, RowId a1) throws SQLException {
        super.setRowId(a0, a1);
        parameters.unreplayable(a0, "setRowId");
    }

    @Override
    public void setSQLXML(int a0, SQLXML a1) throws SQLException {
        super.setSQLXML(a0, a1);
        parameters.unreplayable(a0, "setSQLXML");
    }
}
