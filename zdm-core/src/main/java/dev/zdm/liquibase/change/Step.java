package dev.zdm.liquibase.change;

import java.sql.Connection;
import java.sql.SQLException;

/** One step of a zdm change: built without the database, run at execution time. */
public interface Step {

    /** What {@code updateSQL} shows: the exact SQL, or a comment where it depends on the catalog. */
    String offlineSql();

    /** Runs the step on the (guarded) migration connection. */
    void execute(Connection connection) throws SQLException;

    /** A step that runs one SQL statement as it is. */
    static Step sql(String sql) {
        return new Step() {
            @Override
            public String offlineSql() {
                return sql;
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }

            @Override
            public String toString() {
                return sql;
            }
        };
    }
}
