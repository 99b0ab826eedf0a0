package dev.zdm.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** zdm's job tables, created on first use (by the first change that registers a job, or by a runner). */
final class JobSchema {

    static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS zdm_job (name text PRIMARY KEY, kind text NOT NULL, table_name text NOT NULL,"
                + " target_column text, using_expr text, where_expr text, batch_size int, statement text,"
                + " depends_on text[] NOT NULL DEFAULT '{}', state text NOT NULL DEFAULT 'PENDING',"
                + " planned boolean NOT NULL DEFAULT false, rows_total_estimate bigint NOT NULL DEFAULT 0, last_error text,"
                + " created_at timestamptz NOT NULL DEFAULT now(), started_at timestamptz,"
                + " updated_at timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE IF NOT EXISTS zdm_job_slice (job_name text NOT NULL REFERENCES zdm_job (name) ON DELETE CASCADE,"
                + " slice int NOT NULL, lower_key text, upper_key text, cursor_key text, phase text NOT NULL DEFAULT 'COPY',"
                + " rows_done bigint NOT NULL DEFAULT 0, batch_size int, owner text, lease_until timestamptz,"
                + " fence bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_name, slice))",
        "CREATE TABLE IF NOT EXISTS zdm_job_reject (job_name text NOT NULL REFERENCES zdm_job (name) ON DELETE CASCADE,"
                + " row_key text NOT NULL, error text, PRIMARY KEY (job_name, row_key))"
    };

    /** Advisory lock key so that instances starting together do not race on CREATE TABLE. */
    private static final long LOCK = 0x7a646d5f6a6f6273L;

    private JobSchema() {
    }

    /** Creates the tables if missing, in the caller's transaction or on its own. */
    static void ensure(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            if (autoCommit) {
                connection.commit();
            }
        } catch (SQLException e) {
            if (autoCommit) {
                connection.rollback();
            }
            throw e;
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        }
    }
}
