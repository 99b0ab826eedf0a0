package dev.zdm.guard.internal;

import java.math.BigDecimal;
import java.net.URL;
import java.sql.*;
import java.util.Calendar;

/**
 * Remembers every parameter bound while a guarded transaction is under way ({@link ParameterLog}), so the
 * guard can run the statement again after a lock timeout. Mutable values are copied when bound.
 */
abstract class RecordingPreparedStatement extends OneShotParameterStatement {

    protected RecordingPreparedStatement(PreparedStatement delegate, GuardedConnection connection) {
        super(delegate, connection);
    }

    @Override
    public void setNull(int a0, int a1) throws SQLException {
        super.setNull(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setNull(a0, a1));
        }
    }

    @Override
    public void setBoolean(int a0, boolean a1) throws SQLException {
        super.setBoolean(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setBoolean(a0, a1));
        }
    }

    @Override
    public void setByte(int a0, byte a1) throws SQLException {
        super.setByte(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setByte(a0, a1));
        }
    }

    @Override
    public void setShort(int a0, short a1) throws SQLException {
        super.setShort(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setShort(a0, a1));
        }
    }

    @Override
    public void setInt(int a0, int a1) throws SQLException {
        super.setInt(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setInt(a0, a1));
        }
    }

    @Override
    public void setLong(int a0, long a1) throws SQLException {
        super.setLong(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setLong(a0, a1));
        }
    }

    @Override
    public void setFloat(int a0, float a1) throws SQLException {
        super.setFloat(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setFloat(a0, a1));
        }
    }

    @Override
    public void setDouble(int a0, double a1) throws SQLException {
        super.setDouble(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setDouble(a0, a1));
        }
    }

    @Override
    public void setBigDecimal(int a0, BigDecimal a1) throws SQLException {
        super.setBigDecimal(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setBigDecimal(a0, a1));
        }
    }

    @Override
    public void setString(int a0, String a1) throws SQLException {
        super.setString(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setString(a0, a1));
        }
    }

    @Override
    public void setNString(int a0, String a1) throws SQLException {
        super.setNString(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setNString(a0, a1));
        }
    }

    @Override
    public void setBytes(int a0, byte[] a1) throws SQLException {
        super.setBytes(a0, a1);
        if (parameters.remember(a0)) {
            byte[] v = a1 == null ? null : a1.clone();
            parameters.put(a0, s -> s.setBytes(a0, v));
        }
    }

    @Override
    public void setDate(int a0, Date a1) throws SQLException {
        super.setDate(a0, a1);
        if (parameters.remember(a0)) {
            Date v = a1 == null ? null : (Date) a1.clone();
            parameters.put(a0, s -> s.setDate(a0, v));
        }
    }

    @Override
    public void setTime(int a0, Time a1) throws SQLException {
        super.setTime(a0, a1);
        if (parameters.remember(a0)) {
            Time v = a1 == null ? null : (Time) a1.clone();
            parameters.put(a0, s -> s.setTime(a0, v));
        }
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1) throws SQLException {
        super.setTimestamp(a0, a1);
        if (parameters.remember(a0)) {
            Timestamp v = a1 == null ? null : (Timestamp) a1.clone();
            parameters.put(a0, s -> s.setTimestamp(a0, v));
        }
    }

    @Override
    public void setDate(int a0, Date a1, Calendar a2) throws SQLException {
        super.setDate(a0, a1, a2);
        if (parameters.remember(a0)) {
            Date v = a1 == null ? null : (Date) a1.clone();
            parameters.put(a0, s -> s.setDate(a0, v, a2));
        }
    }

    @Override
    public void setTime(int a0, Time a1, Calendar a2) throws SQLException {
        super.setTime(a0, a1, a2);
        if (parameters.remember(a0)) {
            Time v = a1 == null ? null : (Time) a1.clone();
            parameters.put(a0, s -> s.setTime(a0, v, a2));
        }
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1, Calendar a2) throws SQLException {
        super.setTimestamp(a0, a1, a2);
        if (parameters.remember(a0)) {
            Timestamp v = a1 == null ? null : (Timestamp) a1.clone();
            parameters.put(a0, s -> s.setTimestamp(a0, v, a2));
        }
    }

    @Override
    public void setNull(int a0, int a1, String a2) throws SQLException {
        super.setNull(a0, a1, a2);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setNull(a0, a1, a2));
        }
    }

    @Override
    public void setURL(int a0, URL a1) throws SQLException {
        super.setURL(a0, a1);
        if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setURL(a0, a1));
        }
    }

    @Override
    public void setObject(int a0, Object a1) throws SQLException {
        super.setObject(a0, a1);
        String unrebindable = ParameterLog.notRebindable(a1);
        if (unrebindable != null) {
            parameters.unreplayable(a0, unrebindable);
        } else if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setObject(a0, a1));
        }
    }

    @Override
    public void setObject(int a0, Object a1, int a2) throws SQLException {
        super.setObject(a0, a1, a2);
        String unrebindable = ParameterLog.notRebindable(a1);
        if (unrebindable != null) {
            parameters.unreplayable(a0, unrebindable);
        } else if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setObject(a0, a1, a2));
        }
    }

    @Override
    public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
        super.setObject(a0, a1, a2, a3);
        String unrebindable = ParameterLog.notRebindable(a1);
        if (unrebindable != null) {
            parameters.unreplayable(a0, unrebindable);
        } else if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setObject(a0, a1, a2, a3));
        }
    }

    @Override
    public void setObject(int a0, Object a1, SQLType a2) throws SQLException {
        super.setObject(a0, a1, a2);
        String unrebindable = ParameterLog.notRebindable(a1);
        if (unrebindable != null) {
            parameters.unreplayable(a0, unrebindable);
        } else if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setObject(a0, a1, a2));
        }
    }

    @Override
    public void setObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
        super.setObject(a0, a1, a2, a3);
        String unrebindable = ParameterLog.notRebindable(a1);
        if (unrebindable != null) {
            parameters.unreplayable(a0, unrebindable);
        } else if (parameters.remember(a0)) {
            parameters.put(a0, s -> s.setObject(a0, a1, a2, a3));
        }
    }
}
