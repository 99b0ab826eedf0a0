package dev.zdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An index build whose runner lost its lease stops before anyone else touches the index: never two sessions working
 * the same job, never a valid index dropped, never a job failed by a runner that no longer owns it.
 */
@ExtendWith(PostgresExtension.class)
class JobLeaseTakeoverTest {

    private static final String JOB = "t.index.t_v_idx";

    private final TestDatabase db;

    JobLeaseTakeoverTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS t, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 20000) g");
        new Jobs(db.dataSource()).register(JobDefinition.index(JOB, "t", "t_v_idx", "CREATE INDEX CONCURRENTLY t_v_idx ON t (v)",
                List.of()));
    }

    @Test
    void aRunnerCutOffFromTheDatabaseHasItsBuildCancelledByTheRunnerThatTakesOver() throws Exception {
        Partitionable partitioned = new Partitionable(db.dataSource());
        JobRunner stalled = new JobRunner(partitioned, JobFixture.fast(1).withLease(Duration.ofSeconds(1)), JobListener.NONE, List.of());
        JobRunner takeover = JobFixture.runner(db, JobFixture.fast(1));
        try (Connection writer = db.connect(); Sessions sessions = new Sessions(db)) {
            openWrite(writer); // the build waits for this transaction
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> runOnce(stalled, "stalled"));
            int firstPid = awaitBuild();
            partitioned.cut(); // its side connections fail: no more lease renewals, no way to cancel itself
            Thread.sleep(1_500); // the lease runs out
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> drain(takeover));
            // the stalled runner's build was cancelled while the transaction it waits for is still open: nothing else
            // could have ended it
            first.get(20, TimeUnit.SECONDS);
            assertThat(db.query("SELECT count(*) FROM pg_stat_activity WHERE pid = " + firstPid + " AND state = 'active'"))
                    .as("the stalled runner's session is idle: its build was cancelled").isEqualTo("0");
            writer.rollback();
            second.get(60, TimeUnit.SECONDS);
            assertThat(sessions.most()).as("sessions working the index at once").isEqualTo(1);
        }
        assertThat(new Jobs(db.dataSource()).get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_idx'::regclass")).isEqualTo("t");
    }

    @Test
    void aRunnerWhoseSliceWasTakenCancelsItsOwnBuildAndDoesNotFailTheJob() throws Exception {
        JobRunner first = new JobRunner(db.dataSource(), JobFixture.fast(1).withLease(Duration.ofSeconds(3)), JobListener.NONE,
                List.of());
        try (Connection writer = db.connect()) {
            openWrite(writer);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runOnce(first, "first"));
            awaitBuild();
            db.execute("UPDATE zdm_job_slice SET owner = 'another-runner', fence = fence + 1"); // taken over
            run.get(20, TimeUnit.SECONDS); // the keeper saw it within a third of the lease and cancelled the build
            writer.rollback();
        }
        assertThat(new Jobs(db.dataSource()).get(JOB).orElseThrow().state()).as("not the old owner's to fail")
                .isEqualTo(JobState.RUNNING);
        assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_idx'::regclass"))
                .as("its INVALID index is left to the new owner").isEqualTo("f");

        db.execute("UPDATE zdm_job_slice SET owner = NULL, lease_until = NULL"); // the new owner's lease runs out
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1));
        assertThat(new Jobs(db.dataSource()).get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    private static void openWrite(Connection writer) throws SQLException {
        writer.setAutoCommit(false);
        writer.createStatement().execute("UPDATE t SET v = v WHERE id = 1");
    }

    private int awaitBuild() throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            String pid = db.query("SELECT min(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY t_v_idx%'"
                    + " AND state = 'active'");
            if (pid != null) {
                return Integer.parseInt(pid);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the build never started");
    }

    private static void runOnce(JobRunner runner, String name) {
        try {
            runner.runOnce(name);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(JobRunner runner) {
        try {
            runner.drain(Duration.ofMinutes(1));
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts, every few milliseconds, the sessions running a statement on the index; keeps the most seen at once. */
    private static final class Sessions implements AutoCloseable {

        private final AtomicBoolean watching = new AtomicBoolean(true);
        private final AtomicInteger most = new AtomicInteger();
        private final Thread thread;

        Sessions(TestDatabase db) {
            thread = new Thread(() -> {
                while (watching.get()) {
                    int now = Integer.parseInt(db.query("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query ~ '^(CREATE|DROP) INDEX CONCURRENTLY (IF EXISTS )?t_v_idx' AND pid <> pg_backend_pid()"));
                    most.accumulateAndGet(now, Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int most() {
            return most.get();
        }

        @Override
        public void close() throws InterruptedException {
            watching.set(false);
            thread.join();
        }
    }

    /** A DataSource whose new connections fail once it is cut: a runner that lost its way to the database. */
    private static final class Partitionable implements DataSource {

        private final DataSource delegate;
        private volatile boolean cut;

        Partitionable(DataSource delegate) {
            this.delegate = delegate;
        }

        void cut() {
            cut = true;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (cut) {
                throw new SQLException("connection refused (partitioned)", "08001");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return delegate.isWrapperFor(iface);
        }
    }
}
