package dev.zdm.ddl;

import dev.zdm.guard.internal.GuardedConnection;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.SqlFragments;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an index with {@code CREATE INDEX CONCURRENTLY}, safely.
 *
 * <ol>
 *   <li>A valid index of that name exists: nothing to do. An INVALID one (an earlier build was interrupted):
 *       drop it concurrently and build again ({@code IF NOT EXISTS} would skip it forever).</li>
 *   <li>Build with no lock timeout and no statement timeout: the build waits for every older transaction and a
 *       timeout would leave an INVALID index behind.</li>
 *   <li>Meanwhile a second connection logs progress ({@code pg_stat_progress_create_index}) and who the build
 *       waits for, every few seconds.</li>
 *   <li>On any failure, drop the INVALID index at once (from the second connection if the first is gone).</li>
 * </ol>
 */
public final class ConcurrentIndexBuild {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentIndexBuild.class);
    private static final long WATCH_SECONDS = 5;

    private final String indexName;
    /** The index as SQL, schema-qualified when the schema is known. */
    private final String indexSql;
    private final String createSql;
    private final String where;

    /**
     * @param createSql {@code CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...} without IF NOT EXISTS: one statement,
     *     checked as such ({@link SqlFragments}), so it can never carry a second one
     * @throws dev.zdm.sql.SqlFragmentException when {@code indexName} or {@code createSql} is not what it must be
     */
    public ConcurrentIndexBuild(String indexName, String createSql, String where) {
        this(null, indexName, createSql, where);
    }

    /**
     * @param schema the schema the index is built in (the table's), as an identifier; {@code null}: found through the
     *     session's {@code search_path} (a background runner's may differ from the migration's, so jobs give it)
     */
    public ConcurrentIndexBuild(String schema, String indexName, String createSql, String where) {
        SqlFragments.require("index build " + where, "indexName", indexName, Fragment.IDENTIFIER);
        SqlFragments.require("index build " + where, "createSql", createSql, Fragment.INDEX_STATEMENT);
        if (schema != null) {
            SqlFragments.require("index build " + where, "schema", schema, Fragment.IDENTIFIER);
        }
        this.indexSql = (schema == null ? "" : TableName.quote(schema) + ".") + TableName.quote(indexName);
        this.indexName = indexName;
        this.createSql = createSql;
        this.where = where;
    }

    public String offlineSql() {
        return "-- zdm: 'liquibase update' drops and rebuilds an INVALID index " + indexName + " left by an interrupted build;"
                + " this script does not: if the build below fails, run DROP INDEX CONCURRENTLY IF EXISTS " + indexSql
                + " before running it again\n"
                + "SET lock_timeout = 0;\nSET statement_timeout = 0;\n"
                + createSql.replaceFirst("CONCURRENTLY ", "CONCURRENTLY IF NOT EXISTS ");
    }

    public void run(Connection connection) throws SQLException {
        run(connection, () -> true);
    }

    /**
     * Builds the index; after a failure its INVALID index is dropped only while {@code stillOwned} says the work is
     * still this caller's (a background job whose lease was lost leaves it to the new owner).
     */
    public void run(Connection connection, java.util.function.BooleanSupplier stillOwned) throws SQLException {
        String state = indexState(connection);
        if ("valid".equals(state)) {
            log.info("zdm: {}: index {} already exists and is valid", where, indexName);
            return;
        }
        if ("invalid".equals(state)) {
            log.warn("zdm: {}: index {} is INVALID (an earlier build was interrupted); dropping and rebuilding it", where,
                    indexName);
            execute(connection, "DROP INDEX CONCURRENTLY IF EXISTS " + indexSql);
        }
        DataSource side = connection.isWrapperFor(GuardedConnection.class)
                ? connection.unwrap(GuardedConnection.class).sideDataSource() : null;
        int pid = backendPid(connection);
        ScheduledExecutorService watcher = side == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "zdm-index-watch-" + indexName);
            thread.setDaemon(true);
            return thread;
        });
        if (watcher != null) {
            watcher.scheduleWithFixedDelay(() -> watch(side, pid), WATCH_SECONDS, WATCH_SECONDS, TimeUnit.SECONDS);
        }
        long start = System.nanoTime();
        try {
            execute(connection, createSql);
            log.info("zdm: {}: index {} built concurrently in {} ms", where, indexName, (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException failure) {
            if (stillOwned.getAsBoolean()) {
                dropInvalid(connection, side, failure);
            }
            throw failure;
        } finally {
            if (watcher != null) {
                watcher.shutdownNow();
            }
        }
    }

    private void dropInvalid(Connection connection, DataSource side, SQLException failure) {
        String drop = "DROP INDEX CONCURRENTLY IF EXISTS " + indexSql;
        try {
            if (connection.isValid(2)) {
                execute(connection, drop);
            } else if (side != null) {
                try (Connection other = side.getConnection()) {
                    execute(other, drop);
                }
            } else {
                log.warn("zdm: {}: the build of {} failed and its connection is gone; the INVALID index is rebuilt on"
                        + " the next run", where, indexName);
                return;
            }
            log.warn("zdm: {}: the build of {} failed ({}); its INVALID index was dropped", where, indexName,
                    failure.getMessage());
        } catch (SQLException e) {
            log.warn("zdm: {}: the build of {} failed and dropping its INVALID index failed too ({}); it is rebuilt on the"
                    + " next run", where, indexName, e.getMessage());
        }
    }

    private void watch(DataSource side, int pid) {
        try (Connection connection = side.getConnection(); PreparedStatement ps = connection.prepareStatement(
                "SELECT p.phase, p.blocks_done, p.blocks_total, p.tuples_done, p.tuples_total,"
                        + " (SELECT string_agg(b.pid || ' (' || coalesce(b.state, '') || ', xact '"
                        + " || coalesce(extract(epoch FROM now() - b.xact_start)::bigint, 0) || ' s)', ', ')"
                        + " FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(?)))"
                        + " FROM pg_stat_progress_create_index p WHERE p.pid = ?")) {
            ps.setInt(1, pid);
            ps.setInt(2, pid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    log.info("zdm: building index {}: {}, blocks {}/{}, tuples {}/{}{}", indexName, rs.getString(1),
                            rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getString(6) == null ? "" : ", waiting for " + rs.getString(6));
                }
            }
        } catch (SQLException e) {
            log.debug("zdm: watching index {} failed: {}", indexName, e.getMessage());
        }
    }

    /** {@code valid}, {@code invalid}, or {@code null} when no index of that name exists in the search path. */
    private String indexState(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END"
                + " FROM pg_index WHERE indexrelid = to_regclass(?)")) {
            ps.setString(1, indexSql);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
