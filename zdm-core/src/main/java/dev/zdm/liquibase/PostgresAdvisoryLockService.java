package dev.zdm.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liquibase's changelog lock as a PostgreSQL session-level advisory lock. PostgreSQL releases it when the
 * session ends, so a killed instance never leaves a stale lock behind (Liquibase's table-based lock stays
 * set in {@code DATABASECHANGELOGLOCK} until someone clears it by hand).
 *
 * <p>Replaces Liquibase's standard lock service for PostgreSQL through its service loader (higher priority).
 * The key is derived from the changelog lock table's schema and name, so separate changelogs in separate
 * schemas do not block each other.
 */
public final class PostgresAdvisoryLockService implements LockService {

    private static final Logger log = LoggerFactory.getLogger(PostgresAdvisoryLockService.class);

    private Database database;
    private boolean hasLock;
    private long waitTimeMinutes = 5;
    private long recheckSeconds = 10;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 10;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase && database.getConnection() instanceof JdbcConnection;
    }

    @Override
    public void setDatabase(Database database) {
        this.database = database;
    }

    @Override
    public void setChangeLogLockWaitTime(long changeLogLockWaitTime) {
        this.waitTimeMinutes = changeLogLockWaitTime;
    }

    @Override
    public void setChangeLogLockRecheckTime(long changeLogLockRecheckTime) {
        this.recheckSeconds = changeLogLockRecheckTime;
    }

    @Override
    public boolean hasChangeLogLock() {
        return hasLock;
    }

    @Override
    public void waitForLock() throws LockException {
        long deadline = System.nanoTime() + Duration.ofMinutes(waitTimeMinutes).toNanos();
        boolean logged = false;
        while (!acquireLock()) {
            if (System.nanoTime() > deadline) {
                throw new LockException("zdm: could not get the Liquibase advisory lock (key " + key() + ") within "
                        + waitTimeMinutes + " minute(s): another live session holds it: " + holder()
                        + ". It is released when that migration ends or its session dies.");
            }
            if (!logged) {
                log.info("zdm: waiting for the Liquibase advisory lock held by {}", holder());
                logged = true;
            }
            try {
                Thread.sleep(Math.max(100, Math.min(recheckSeconds * 1000, 1000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockException("Interrupted while waiting for the Liquibase advisory lock");
            }
        }
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (hasLock) {
            return true;
        }
        try {
            hasLock = queryBoolean("SELECT pg_try_advisory_lock(?)");
            if (hasLock) {
                checkClientConnection();
                warnOfTransactionPooling();
            }
            return hasLock;
        } catch (SQLException e) {
            throw new LockException("zdm: could not try the Liquibase advisory lock: " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseLock() throws LockException {
        if (!hasLock) {
            return;
        }
        try {
            Connection connection = connection();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            queryBoolean("SELECT pg_advisory_unlock(?)");
        } catch (SQLException e) {
            throw new LockException("zdm: could not release the Liquibase advisory lock: " + e.getMessage(), e);
        } finally {
            hasLock = false;
        }
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() throws LockException {
        try (PreparedStatement ps = connection().prepareStatement("SELECT l.pid, a.backend_start, coalesce(a.client_addr::text, 'local')"
                + " FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted"
                + " AND l.classid = ((?::bigint >> 32) & 4294967295)::oid AND l.objid = (?::bigint & 4294967295)::oid AND l.objsubid = 1")) {
            ps.setLong(1, key());
            ps.setLong(2, key());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new DatabaseChangeLogLock[] { new DatabaseChangeLogLock(rs.getInt(1), new Date(rs.getTimestamp(2).getTime()),
                            "pid " + rs.getInt(1) + " from " + rs.getString(3)) };
                }
                return new DatabaseChangeLogLock[0];
            }
        } catch (SQLException e) {
            throw new LockException(e);
        }
    }

    @Override
    public void forceReleaseLock() throws LockException {
        // An advisory lock belongs to its session: it ends with it. Nothing to clear.
        releaseLock();
    }

    @Override
    public void reset() {
        hasLock = false;
    }

    @Override
    public void init() {
        // no lock table needed
    }

    @Override
    public void destroy() throws DatabaseException {
        try {
            releaseLock();
        } catch (LockException e) {
            throw new DatabaseException(e);
        }
    }

    /** The advisory lock key: a stable 64-bit hash of the changelog lock table's qualified name. */
    long key() {
        String schema = database.getLiquibaseSchemaName() != null ? database.getLiquibaseSchemaName() : database.getDefaultSchemaName();
        String name = "zdm:liquibase:" + (schema == null ? "" : schema) + "." + database.getDatabaseChangeLogLockTableName();
        long hash = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            hash = 31 * hash + name.charAt(i);
        }
        return hash;
    }

    private String holder() {
        try {
            DatabaseChangeLogLock[] locks = listLocks();
            return locks.length == 0 ? "(no one now)" : locks[0].getLockedBy() + " since " + locks[0].getLockGranted();
        } catch (LockException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    /**
     * Asks PostgreSQL to notice a vanished client even in the middle of a statement, so the session (and
     * with it the lock) of a killed instance ends within a second instead of when its statement finishes.
     */
    private void warnOfTransactionPooling() {
        try {
            TransactionPooling.warning(connection()).ifPresent(log::warn);
        } catch (SQLException e) {
            log.debug("zdm: could not check for a transaction-mode pooler: {}", e.getMessage());
        }
    }

    private void checkClientConnection() {
        try (PreparedStatement ps = connection().prepareStatement(
                "SELECT set_config('client_connection_check_interval', '1000', false)")) {
            ps.executeQuery().close();
            if (!connection().getAutoCommit()) {
                connection().commit(); // a session setting made in a transaction is undone if it rolls back
            }
        } catch (SQLException e) {
            log.debug("zdm: client_connection_check_interval not available: {}", e.getMessage());
        }
    }

    private boolean queryBoolean(String sql) throws SQLException {
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            ps.setLong(1, key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private Connection connection() {
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }
}
