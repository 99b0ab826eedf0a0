package dev.zdm.guard.internal;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardMode;
import dev.zdm.guard.GuardSettings;
import dev.zdm.guard.LockWaitTimeoutException;
import dev.zdm.guard.MigrationContext;
import dev.zdm.guard.UnsafeMigrationException;
import dev.zdm.sql.ClassifiedStatement;
import dev.zdm.sql.Finding;
import dev.zdm.sql.LockLevel;
import dev.zdm.sql.StatementClassifier;
import dev.zdm.sql.StatementKind;
import dev.zdm.sql.TableName;
import dev.zdm.sql.TransactionJudge;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SQL string that holds DDL under the guard.
 *
 * <ol>
 *   <li>Classify every statement; DDL-free strings run as they are.</li>
 *   <li>In a transaction, set the guard's savepoint before its first DDL ({@link TransactionTracker}).</li>
 *   <li>Set {@code lock_timeout} (and {@code statement_timeout} for DDL holding a write-blocking lock; neither
 *       for {@code CONCURRENTLY}/{@code VALIDATE} work) in one round trip.</li>
 *   <li>On the first attempt, judge the statements against the live catalog; an unsafe one is refused before
 *       it runs (or logged, in warn mode, for history and for changesets with {@code allowUnsafe}).</li>
 *   <li>Run it while a second connection samples who blocks it; restore the old timeouts. Without a second
 *       connection (a standalone {@link Guard#guard} connection, e.g. the plain Liquibase CLI), ask after a lock
 *       timeout on the session itself who holds a conflicting lock on the table ({@link BlockerSampler#afterTimeout}).</li>
 *   <li>On a lock timeout: roll back to the savepoint (or, under auto-commit, nothing is held), back off
 *       exponentially with jitter, replay the transaction's statements since the savepoint, and try again,
 *       up to {@code lock-retries} times; then fail naming the blockers. When the sampler cancelled the
 *       autovacuum that alone blocked ({@link AutovacuumDecision}), retry at once.</li>
 * </ol>
 */
final class GuardedExecution {

    private static final Logger log = LoggerFactory.getLogger("dev.zdm.guard");

    private GuardedExecution() {
    }

    static <R> R run(GuardedConnection connection, String sql, SqlCallable<R> action, Runnable record, boolean retryable)
            throws SQLException {
        List<ClassifiedStatement> all = inMigration() ? StatementClassifier.classifyAllInMigration(sql)
                : StatementClassifier.classifyAll(sql);
        List<ClassifiedStatement> ddl = new ArrayList<>();
        for (ClassifiedStatement statement : all) {
            if (statement.isDdl()) {
                ddl.add(statement);
            }
        }
        TransactionTracker transaction = connection.transaction();
        if (ddl.isEmpty()) {
            if (all.stream().anyMatch(ClassifiedStatement::isJudged)) {
                judge(connection, all, !connection.raw().getAutoCommit()); // UPDATE, DELETE, DO of a migration
            }
            R result = action.call();
            record.run();
            return result;
        }
        Guard guard = connection.dataSource().guard();
        GuardSettings settings = guard.settings();
        Connection raw = connection.raw();
        boolean autoCommit = raw.getAutoCommit();
        boolean nonBlocking = ddl.stream().allMatch(ClassifiedStatement::isLongRunningButNonBlocking);
        boolean writeBlocking = ddl.stream().anyMatch(s -> s.lockLevel().blocksWrites());
        String lockTimeout = nonBlocking ? "0" : settings.lockTimeout().toMillis() + "ms";
        String statementTimeout = nonBlocking ? "0" : writeBlocking ? settings.statementTimeout().toMillis() + "ms" : null;
        TableName table = ddl.get(0).table();
        LockLevel needed = ddl.stream().map(ClassifiedStatement::lockLevel).reduce(LockLevel.NONE, LockLevel::max);
        boolean watched = !nonBlocking && connection.dataSource().delegate() != null;
        boolean judged = false;
        boolean replay = false;
        long waitStart = System.nanoTime();
        for (int attempt = 0;; attempt++) {
            long attemptStart = System.nanoTime();
            if (!autoCommit) {
                transaction.begin(raw);
            }
            SessionTimeouts timeouts = SessionTimeouts.apply(raw, lockTimeout, statementTimeout, !autoCommit);
            BlockerSampler sampler = null;
            try {
                if (replay) {
                    transaction.replay(raw);
                    replay = false;
                }
                if (!judged) {
                    judge(connection, all, !autoCommit); // a lock timeout in here retries the judging too
                    judged = true;
                }
                if (watched) {
                    sampler = BlockerSampler.schedule(connection.dataSource().delegate(), timeouts.backendPid(),
                            settings.lockTimeout().dividedBy(2), settings.cancelAutovacuum(), cancelled -> reportCancelled(guard, sql, table, cancelled));
                }
                R result = action.call();
                if (!nonBlocking) {
                    guard.listener().lockWaited(table, Duration.ofNanos(attemptStart - waitStart), true);
                }
                BlockerSampler.Sample seen = sampler == null ? null : sampler.finish(Duration.ofSeconds(1));
                sampler = null;
                timeouts.restore(raw);
                for (ClassifiedStatement statement : ddl) {
                    if (statement.kind() == StatementKind.CREATE_TABLE && statement.table() != null) {
                        guard.createdTables().add(statement.table());
                    }
                }
                record.run();
                return result;
            } catch (UnsafeMigrationException refused) {
                timeouts.restoreQuietly(raw);
                throw refused;
            } catch (CatalogFacts.CatalogException | SQLException failure) {
                SQLException e = failure instanceof CatalogFacts.CatalogException wrapped ? wrapped.sqlException()
                        : (SQLException) failure;
                BlockerSampler.Sample seen = sampler == null ? null : isLockTimeout(e) ? sampler.await(Duration.ofSeconds(1))
                        : sampler.finish(Duration.ofSeconds(1));
                cancel(sampler);
                String blockers = seen == null ? "" : seen.text();
                boolean autovacuumCancelled = seen != null && !seen.cancelled().isEmpty();
                if (autoCommit) {
                    timeouts.restoreQuietly(raw);
                }
                if (!isLockTimeout(e)) {
                    throw e;
                }
                if (!nonBlocking && (!watched || seen == null || seen.namesNoBlocker())) {
                    // no second connection, or its sample came too late (a loaded machine): ask on the session itself
                    if (!autoCommit) {
                        transaction.rollbackToStart(raw); // the aborted transaction answers no query before this
                    }
                    seen = BlockerSampler.afterTimeout(raw, table, needed, settings.cancelAutovacuum(),
                            cancelled -> reportCancelled(guard, sql, table, cancelled));
                    blockers = seen.text();
                    autovacuumCancelled = !seen.cancelled().isEmpty();
                }
                String context = describe(sql, table, attempt + 1, blockers);
                if (attempt >= settings.lockRetries() || !retryable) {
                    guard.listener().lockWaited(table, Duration.ofNanos(System.nanoTime() - waitStart), false);
                    throw new LockWaitTimeoutException("zdm gave up waiting for a lock after " + (attempt + 1)
                            + " attempt(s) of " + settings.lockTimeout().toMillis() + " ms: " + context
                            + ". Let the blocking transaction finish (or end it), then run the migration again; raise "
                            + "zdm.guard.lock-retries to wait longer.", e);
                }
                if (!autoCommit) {
                    TransactionTracker.NotRetryable why = transaction.whyNotRetryable();
                    if (why != null) {
                        throw new LockWaitTimeoutException("zdm stopped at a lock timeout instead of waiting with locks "
                                + "held (" + why.why() + "): " + context + ". The transaction must be rolled back and run "
                                + "again. " + why.fix(), e);
                    }
                    transaction.rollbackToStart(raw);
                    replay = true;
                }
                Duration pause = autovacuumCancelled ? Duration.ZERO : settings.backoff(attempt + 1, ThreadLocalRandom.current());
                log.warn("zdm: lock timeout, retrying {} (attempt {} of {}): {}",
                        autovacuumCancelled ? "at once" : "in " + pause.toMillis() + " ms", attempt + 2,
                        settings.lockRetries() + 1, context);
                guard.listener().lockRetried(table, attempt + 1, pause, blockers);
                sleep(pause);
            } catch (RuntimeException unexpected) {
                cancel(sampler);
                if (autoCommit) {
                    timeouts.restoreQuietly(raw); // never leave the guard's timeouts on a pooled session
                }
                throw unexpected;
            }
        }
    }

    /** Whether a changeset (or an explicit zdm scope) runs on this thread, and not one of zdm's own changes. */
    static boolean inMigration() {
        MigrationContext context = MigrationContext.current();
        return context != null && !context.zdmChangeRunning();
    }

    /**
     * Judges the string's statements in order, each against the catalog as this transaction sees it (so the locks
     * and changes of its earlier statements count) and as the statements before it in the string leave it.
     */
    private static void judge(GuardedConnection connection, List<ClassifiedStatement> statements, boolean inTransaction) {
        MigrationContext context = MigrationContext.current();
        if (context != null && context.zdmChangeRunning()) {
            return; // zdm's own change types are safe by construction
        }
        Guard guard = connection.dataSource().guard();
        CatalogFacts facts = new CatalogFacts(connection.raw(), guard.createdTables());
        TransactionJudge judge = new TransactionJudge(facts, inTransaction, true);
        List<Finding> findings = new ArrayList<>();
        for (ClassifiedStatement statement : statements) {
            findings.addAll(judge.judge(statement));
        }
        if (findings.isEmpty()) {
            return;
        }
        ChangeSetRef changeSet = context == null ? null : context.changeSet();
        String why = null;
        if (guard.settings().mode() == GuardMode.WARN) {
            why = "zdm.guard.mode=warn";
        } else if (changeSet != null && changeSet.allowUnsafe() != null) {
            why = "allowUnsafe: " + changeSet.allowUnsafe();
        } else if (changeSet != null && changeSet.history()) {
            why = "at or before zdm.guard.start-after";
        }
        if (why != null) {
            log.warn("zdm: running an unsafe statement ({})\n{}", why, UnsafeMigrationException.message(findings, changeSet));
            for (Finding finding : findings) {
                guard.listener().warned(finding, changeSet);
            }
            return;
        }
        for (Finding finding : findings) {
            guard.listener().refused(finding, changeSet);
        }
        UnsafeMigrationException refused = new UnsafeMigrationException(findings, changeSet);
        log.error(refused.getMessage());
        throw refused;
    }

    /** Logs and reports the autovacuum workers a sample cancelled; whether there were any. */
    private static boolean reportCancelled(Guard guard, String sql, TableName table, List<Blocker> cancelled) {
        for (Blocker worker : cancelled) {
            log.warn("zdm: cancelled {} because it alone blocked {}: autovacuum gives way to a DDL only after "
                    + "deadlock_timeout, longer than zdm's lock timeout. Autovacuum will come back to the table later and "
                    + "finish its work; zdm.guard.cancel-autovacuum=false leaves it alone.", worker.autovacuumName(),
                    describe(sql, table, 0, ""));
            guard.listener().autovacuumCancelled(table, worker.pid(), worker.table());
        }
        return true;
    }

    private static String describe(String sql, TableName table, int attempt, String blockers) {
        String statement = sql.strip().replaceAll("\\s+", " ");
        if (statement.length() > 300) {
            statement = statement.substring(0, 300) + "...";
        }
        return (table == null ? "" : "table " + table.sql() + ", ") + "statement '" + statement + "'"
                + (blockers.isEmpty() ? "" : ", " + blockers);
    }

    static boolean isLockTimeout(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if ("55P03".equals(current.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static BlockerSampler cancel(BlockerSampler sampler) {
        if (sampler != null) {
            sampler.cancel();
        }
        return null;
    }

    private static void sleep(Duration pause) throws SQLException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while backing off after a lock timeout", "57014", e);
        }
    }
}
