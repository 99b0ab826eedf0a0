package dev.zdm.guard.internal;

import java.sql.SQLException;

/** A JDBC call that returns a value. */
@FunctionalInterface
interface SqlCallable<R> {
    R call() throws SQLException;
}
