package dev.zdm.autoconfigure;

import dev.zdm.ZdmDefaults;
import dev.zdm.guard.GuardMode;
import dev.zdm.guard.GuardScope;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of zdm, under the prefix {@code zdm}. Durations take Spring's forms ({@code 200ms},
 * {@code 5s}). Defaults come from {@link ZdmDefaults}.
 */
@ConfigurationProperties("zdm")
public class ZdmProperties {

    /** Whether zdm is on at all: guard, change-type support and background jobs. */
    private boolean enabled = true;

    private final Guard guard = new Guard();

    private final Jobs jobs = new Jobs();

    private final Backfill backfill = new Backfill();

    private final Cutover cutover = new Cutover();

    private final Page page = new Page();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Guard getGuard() {
        return guard;
    }

    public Jobs getJobs() {
        return jobs;
    }

    public Backfill getBackfill() {
        return backfill;
    }

    public Cutover getCutover() {
        return cutover;
    }

    public Page getPage() {
        return page;
    }

    /** The safe-DDL guard on the DataSource. */
    public static class Guard {

        /** What to do with an unsafe statement: refuse it (enforce), log it and run it (warn), or nothing (off). */
        private GuardMode mode = GuardMode.ENFORCE;

        /** Which statements are guarded: those run by migrations (and explicit zdm scopes), or every DDL. */
        private GuardScope scope = GuardScope.MIGRATIONS;

        /** Maximum time one attempt of a guarded DDL waits for its lock. */
        private Duration lockTimeout = ZdmDefaults.LOCK_TIMEOUT;

        /** Maximum number of attempts after the first when a guarded DDL times out waiting for its lock. */
        private int lockRetries = ZdmDefaults.LOCK_RETRIES;

        /** Maximum run time of a DDL that holds a write-blocking lock. */
        private Duration statementTimeout = ZdmDefaults.STATEMENT_TIMEOUT;

        /**
         * Whether to cancel an autovacuum worker that alone blocks a guarded DDL (never one that prevents
         * wraparound). Autovacuum gives way to a waiting DDL only after deadlock_timeout, longer than the lock
         * timeout, and comes back to the table later. Needs a superuser, or pg_signal_autovacuum_worker on
         * PostgreSQL 18.
         */
        private boolean cancelAutovacuum = ZdmDefaults.CANCEL_AUTOVACUUM;

        /**
         * Changeset up to which unsafe statements only warn: an id, or file::id::author. It and every
         * changeset before it in the changelog are history, e.g. when replaying on an old dump.
         */
        private String startAfter;

        public GuardMode getMode() {
            return mode;
        }

        public void setMode(GuardMode mode) {
            this.mode = mode;
        }

        public GuardScope getScope() {
            return scope;
        }

        public void setScope(GuardScope scope) {
            this.scope = scope;
        }

        public Duration getLockTimeout() {
            return lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = Checks.positive("zdm.guard.lock-timeout", lockTimeout);
        }

        public int getLockRetries() {
            return lockRetries;
        }

        public void setLockRetries(int lockRetries) {
            this.lockRetries = Checks.notNegative("zdm.guard.lock-retries", lockRetries);
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = Checks.positive("zdm.guard.statement-timeout", statementTimeout);
        }

        public boolean isCancelAutovacuum() {
            return cancelAutovacuum;
        }

        public void setCancelAutovacuum(boolean cancelAutovacuum) {
            this.cancelAutovacuum = cancelAutovacuum;
        }

        public String getStartAfter() {
            return startAfter;
        }

        public void setStartAfter(String startAfter) {
            this.startAfter = startAfter;
        }
    }

    /** Background jobs: backfills, concurrent index builds, constraint validation. */
    public static class Jobs {

        /** Whether this instance runs background jobs. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether zdm's changes run their slow part (index builds, validations) inside the Liquibase run instead of as
         * background jobs: for one-shot migration processes. A change's own {@code inline} attribute wins.
         */
        private boolean inline;

        public boolean isInline() {
            return inline;
        }

        public void setInline(boolean inline) {
            this.inline = inline;
        }
    }

    /** Throttles of backfill jobs. */
    public static class Backfill {

        /** Number of rows in the first batch of a backfill; later batches adapt to the target batch time. */
        private int batchSize = ZdmDefaults.BACKFILL_BATCH_SIZE;

        /** Time one batch should take; batch sizes grow or shrink towards it. */
        private Duration targetBatchTime = ZdmDefaults.BACKFILL_TARGET_BATCH_TIME;

        /** Maximum rows per second one job copies; 0 for no limit. */
        private long maxRowsPerSecond = ZdmDefaults.BACKFILL_MAX_ROWS_PER_SECOND;

        /** Pause after each batch. */
        private Duration pauseBetweenBatches = ZdmDefaults.BACKFILL_PAUSE_BETWEEN_BATCHES;

        /** Maximum replication lag; backfills pause while a replica lags more. */
        private Duration maxReplicationLag = ZdmDefaults.BACKFILL_MAX_REPLICATION_LAG;

        /** How often an idle runner looks for jobs. */
        private Duration pollInterval = ZdmDefaults.BACKFILL_POLL_INTERVAL;

        /** Number of key-range slices of one job that may run at once, across all instances. */
        private int parallelism = ZdmDefaults.BACKFILL_PARALLELISM;

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = Checks.positive("zdm.backfill.batch-size", batchSize);
        }

        public Duration getTargetBatchTime() {
            return targetBatchTime;
        }

        public void setTargetBatchTime(Duration targetBatchTime) {
            this.targetBatchTime = Checks.positive("zdm.backfill.target-batch-time", targetBatchTime);
        }

        public long getMaxRowsPerSecond() {
            return maxRowsPerSecond;
        }

        public void setMaxRowsPerSecond(long maxRowsPerSecond) {
            this.maxRowsPerSecond = Checks.notNegative("zdm.backfill.max-rows-per-second", maxRowsPerSecond);
        }

        public Duration getPauseBetweenBatches() {
            return pauseBetweenBatches;
        }

        public void setPauseBetweenBatches(Duration pauseBetweenBatches) {
            this.pauseBetweenBatches = Checks.notNegative("zdm.backfill.pause-between-batches", pauseBetweenBatches);
        }

        public Duration getMaxReplicationLag() {
            return maxReplicationLag;
        }

        public void setMaxReplicationLag(Duration maxReplicationLag) {
            this.maxReplicationLag = Checks.positive("zdm.backfill.max-replication-lag", maxReplicationLag);
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = Checks.positive("zdm.backfill.poll-interval", pollInterval);
        }

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int parallelism) {
            this.parallelism = Checks.positive("zdm.backfill.parallelism", parallelism);
        }
    }

    /** The cutover's swap transaction. */
    public static class Cutover {

        /** The whole lock wait of one attempt of a cutover's or revert's swap transaction, shared by every table it locks. */
        private Duration lockTimeout = ZdmDefaults.CUTOVER_LOCK_TIMEOUT;

        public Duration getLockTimeout() {
            return lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = Checks.positive("zdm.cutover.lock-timeout", lockTimeout);
        }
    }

    /** Range checks that name the offending property. */
    static final class Checks {

        private Checks() {
        }

        static Duration positive(String property, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(property + " must be a positive duration such as 200ms, not " + value);
            }
            return value;
        }

        static Duration notNegative(String property, Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException(property + " must be a duration of 0 or more, not " + value);
            }
            return value;
        }

        static int positive(String property, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(property + " must be 1 or more, not " + value);
            }
            return value;
        }

        static int notNegative(String property, int value) {
            if (value < 0) {
                throw new IllegalArgumentException(property + " must be 0 or more, not " + value);
            }
            return value;
        }

        static long notNegative(String property, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(property + " must be 0 or more, not " + value);
            }
            return value;
        }
    }

    /** The operator's progress page (servlet web applications with the actuator). */
    public static class Page {

        /** Whether to serve the progress page of zdm's column changes and jobs. */
        private boolean enabled;

        /**
         * Path of the progress page, relative to the servlet context; by default "zdm" under the actuator's base path
         * ({@code management.endpoints.web.base-path}), so /actuator/zdm.
         */
        private String path;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            if (path != null && !path.startsWith("/")) {
                throw new IllegalArgumentException("zdm.page.path must start with '/', not '" + path + "'");
            }
            this.path = path;
        }
    }
}
