package dev.zdm.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.zdm.sql.TableName;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A guarded DDL blocked only by autovacuum. PostgreSQL makes autovacuum give way to a waiting lock only after
 * {@code deadlock_timeout} (1 s), longer than the guard's lock timeout, so without zdm every retry fails for
 * as long as the vacuum runs. These tests start a real autovacuum worker that runs slowly (cost limit 1 and
 * cost delay 100 ms on the table, naptime 1 s on the server) and wait until it holds its lock on the table.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@ExtendWith(PostgresExtension.class)
class GuardAutovacuumTest {

    private static final String PLAIN_ROLE = "zdm_autovacuum_plain";
    private static final String SIGNAL_ROLE = "zdm_autovacuum_signal";

    private final TestDatabase db;
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final GuardListener listener = new GuardListener() {
        @Override
        public void autovacuumCancelled(TableName table, int pid, String vacuumedTable) {
            cancelled.add(pid + " " + vacuumedTable + " for " + table.sql());
        }
    };

    GuardAutovacuumTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void quickAutovacuum(TestDatabase db) {
        db.execute("ALTER SYSTEM SET autovacuum_naptime = '1s'", "SELECT pg_reload_conf()");
        for (String role : List.of(PLAIN_ROLE, SIGNAL_ROLE)) {
            db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
                    + role + " LOGIN; END IF; END $$");
        }
        if (Integer.parseInt(db.query("SHOW server_version_num")) >= 180000) {
            db.execute("GRANT pg_signal_autovacuum_worker TO " + SIGNAL_ROLE);
        }
    }

    @AfterAll
    static void usualAutovacuum(TestDatabase db) {
        db.execute("ALTER SYSTEM RESET autovacuum_naptime", "SELECT pg_reload_conf()");
    }

    @AfterEach
    void dropTheTable() {
        db.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
                + " AND query LIKE '%public.av%'", "DROP TABLE IF EXISTS av");
    }

    @Test
    void cancelsTheAutovacuumThatAloneBlocksTheDdlAndTheDdlRunsWhenTheRoleMay() throws Exception {
        Blocked blocked = whileAutovacuumBlocks("postgres", () -> {
            try (Connection migration = migrations(db.dataSource(), true).getConnection()) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        });
        assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'av' AND column_name = 'c'"))
                .isEqualTo("1");
        assertCancelledAnAutovacuumOfAv(blocked);
    }

    @Test
    void aStandaloneGuardedConnectionWithNoSecondConnectionCancelsTheAutovacuumAfterTheLockTimeout() throws Exception {
        Blocked blocked = whileAutovacuumBlocks("postgres", () -> {
            try (Connection migration = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 3)
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), listener).guard(db.connect())) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        });
        assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'av' AND column_name = 'c'"))
                .isEqualTo("1");
        assertCancelledAnAutovacuumOfAv(blocked);
    }

    @Test
    void aStandaloneGuardedConnectionNamesTheAutovacuumItMayNotCancel() throws Exception {
        int worker = startSlowAutovacuum("postgres");
        assertThatThrownBy(() -> {
            try (Connection migration = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 1)
                    .withCancelAutovacuum(false), listener).guard(db.connect())) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        }).isInstanceOf(LockWaitTimeoutException.class)
                .hasMessageContaining("the blocker is autovacuum (pid " + worker + ", on av)")
                .hasMessageContaining("zdm.guard.cancel-autovacuum is off");
        assertThat(cancelled).isEmpty();
    }

    @Test
    void aCutoversSwapTransactionBlockedOnlyByAutovacuumCancelsItAsTheGuardDoes() throws Exception {
        Blocked blocked = whileAutovacuumBlocks("postgres", () -> {
            try (Connection migration = migrations(db.dataSource(), true).getConnection()) {
                dev.zdm.columnchange.SwapTransaction.run(migration, "swap of av", List.of("av"),
                        locks -> migration.createStatement().execute("ALTER TABLE av ADD COLUMN swapped int"));
            }
        });
        assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'av' AND column_name = 'swapped'"))
                .isEqualTo("1");
        assertCancelledAnAutovacuumOfAv(blocked);
    }

    @Test
    void aSwapTransactionOnAStandaloneGuardedConnectionCancelsTheAutovacuumThatAloneBlocksIt() throws Exception {
        Blocked blocked = whileAutovacuumBlocks("postgres", () -> {
            try (Connection migration = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 3)
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)), listener).guard(db.connect())) {
                dev.zdm.columnchange.SwapTransaction.run(migration, "swap of av", List.of("av"),
                        locks -> migration.createStatement().execute("ALTER TABLE av ADD COLUMN swapped int"));
            }
        });
        assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'av' AND column_name = 'swapped'"))
                .isEqualTo("1");
        assertCancelledAnAutovacuumOfAv(blocked);
    }

    @Test
    void aSwapTransactionThatMayNotCancelAutovacuumNamesItAsTheBlocker() throws Exception {
        startSlowAutovacuum("postgres");
        Throwable thrown;
        try (Connection migration = migrations(db.dataSource(), false).getConnection()) {
            thrown = org.assertj.core.api.Assertions.catchThrowable(() -> dev.zdm.columnchange.SwapTransaction.run(migration,
                    "swap of av", List.of("av"), locks -> migration.createStatement().execute("ALTER TABLE av ADD COLUMN swapped int")));
        }
        assertThat(thrown).hasMessageContaining("zdm gave up taking the locks of the swap of av")
                .hasMessageContaining("autovacuum").hasMessageContaining("zdm.guard.cancel-autovacuum is off");
        assertThat(cancelled).isEmpty();
    }

    @Test
    void aRoleWithPgSignalAutovacuumWorkerMayCancelItThoughItCannotReadTheWorkersQuery() throws Exception {
        assumeThat(Integer.parseInt(db.query("SHOW server_version_num"))).as("pg_signal_autovacuum_worker is new in 18")
                .isGreaterThanOrEqualTo(180000);
        Blocked blocked = whileAutovacuumBlocks(SIGNAL_ROLE, () -> {
            try (Connection migration = migrations(as(SIGNAL_ROLE), true).getConnection()) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        });
        assertCancelledAnAutovacuumOfAv(blocked);
    }

    @Test
    void namesAutovacuumAsTheBlockerAndTheWaysPastItWhenTheRoleMayNotCancelIt() throws Exception {
        int worker = startSlowAutovacuum(PLAIN_ROLE);
        boolean pg18 = Integer.parseInt(db.query("SHOW server_version_num")) >= 180000;
        assertThatThrownBy(() -> {
            try (Connection migration = migrations(as(PLAIN_ROLE), true).getConnection()) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        }).isInstanceOf(LockWaitTimeoutException.class)
                .hasMessageContaining("table av")
                .hasMessageContaining("the blocker is autovacuum (pid " + worker + ", on av)")
                .hasMessageContaining("deadlock_timeout")
                .hasMessageContaining("role " + PLAIN_ROLE + " may not cancel it")
                .hasMessageContaining(pg18 ? "GRANT pg_signal_autovacuum_worker TO " + PLAIN_ROLE : "superuser")
                .hasMessageContaining("run the migration as a role that may")
                .hasMessageContaining("SELECT pg_cancel_backend(" + worker + ")")
                .hasMessageContaining("wait for it to finish");
        assertThat(cancelled).isEmpty();
        assertThat(db.query("SELECT count(*) FROM pg_stat_activity WHERE pid = " + worker)).as("the worker still runs")
                .isEqualTo("1");
    }

    @Test
    void leavesAutovacuumAloneWhenTheSettingIsOffAndSaysHowToGetPastIt() throws Exception {
        int worker = startSlowAutovacuum("postgres");
        assertThatThrownBy(() -> {
            try (Connection migration = migrations(db.dataSource(), false).getConnection()) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        }).isInstanceOf(LockWaitTimeoutException.class)
                .hasMessageContaining("the blocker is autovacuum (pid " + worker + ", on av)")
                .hasMessageContaining("zdm.guard.cancel-autovacuum is off")
                .hasMessageContaining("SELECT pg_cancel_backend(" + worker + ")");
        assertThat(cancelled).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it ages the database by 100,000 transactions
    void neverCancelsAnAutovacuumThatPreventsWraparoundAndSaysSo() throws Exception {
        db.execute("DROP TABLE IF EXISTS av",
                "CREATE TABLE av (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false," // only wraparound comes
                        + " autovacuum_freeze_max_age = 100000, autovacuum_vacuum_cost_delay = 100,"
                        + " autovacuum_vacuum_cost_limit = 1)",
                "INSERT INTO av SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g",
                "ALTER TABLE av OWNER TO " + SIGNAL_ROLE);
        long start = System.nanoTime();
        db.execute("DO $$ BEGIN FOR i IN 1..100001 LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$");
        System.out.println("zdm test: 100001 transaction ids in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        int worker = awaitWorker("autovacuum: VACUUM% public.av (to prevent wraparound)");
        assertThatThrownBy(() -> {
            try (Connection migration = migrations(db.dataSource(), true).getConnection()) {
                migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
            }
        }).isInstanceOf(LockWaitTimeoutException.class)
                .hasMessageContaining("the blocker is autovacuum (pid " + worker + ", on av, to prevent wraparound)")
                .hasMessageContaining("zdm never cancels")
                .hasMessageContaining("wait for it to finish");
        if (Integer.parseInt(db.query("SHOW server_version_num")) >= 180000) {
            assertThatThrownBy(() -> { // a role that may cancel it, but sees neither its query nor its backend type
                try (Connection migration = migrations(as(SIGNAL_ROLE), true).getConnection()) {
                    migration.createStatement().execute("ALTER TABLE av ADD COLUMN c int");
                }
            }).isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("the blocker is autovacuum (pid " + worker + ", on av, to prevent wraparound)")
                    .hasMessageContaining("zdm never cancels");
        }
        assertThat(cancelled).isEmpty();
        assertThat(db.query("SELECT count(*) FROM pg_stat_activity WHERE pid = " + worker)).as("the worker still runs")
                .isEqualTo("1");
    }

    /** A migration step run while an autovacuum worker held table {@code av}: the worker, and what zdm reported cancelling. */
    private record Blocked(int worker, List<String> cancelled) {
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} while a slow autovacuum worker holds {@code av}. A worker can let go of the table on its own while
     * the step runs (the step then gets its lock with nothing cancelled): that breaks the premise, not zdm, so the
     * scenario is set up again, at most three times.
     */
    private Blocked whileAutovacuumBlocks(String owner, Step step) throws Exception {
        for (int attempt = 1;; attempt++) {
            cancelled.clear();
            int worker = startSlowAutovacuum(owner);
            long start = System.nanoTime();
            step.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            List<String> seen = cancelledSoon();
            if (!seen.isEmpty() || attempt == 5) { // on a loaded machine the worker may leave by itself several times
                return new Blocked(worker, List.copyOf(seen));
            }
            // The step got its lock and zdm cancelled nothing: the worker went away by itself (had zdm failed to cancel a
            // worker that kept the table, the step would have failed after its retries).
            System.out.printf("zdm test: the worker left av by itself while the step ran (%d ms); again%n", millis);
            dropTheTable();
        }
    }

    /**
     * zdm cancelled the worker started on av, or (on a loaded machine, when that one left by itself) the next worker that
     * autovacuum sent to av while the step waited: one cancellation, of a worker on av, reported for av.
     */
    private static void assertCancelledAnAutovacuumOfAv(Blocked blocked) {
        assertThat(blocked.cancelled()).hasSize(1);
        assertThat(blocked.cancelled().get(0)).matches("\\d+ av for av");
    }

    /** The cancellations reported, once the sampling thread has reported them (it does so on its own). */
    private List<String> cancelledSoon() throws InterruptedException {
        for (int i = 0; i < 50 && cancelled.isEmpty(); i++) {
            Thread.sleep(100);
        }
        return cancelled;
    }

    private DataSource migrations(DataSource dataSource, boolean cancelAutovacuum) {
        return new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(200), 3)
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).withCancelAutovacuum(cancelAutovacuum), listener)
                .wrapForMigrations(dataSource);
    }

    private DataSource as(String role) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(role);
        return dataSource;
    }

    /**
     * Fills table {@code av} (owned by {@code owner}), deletes half of it and lets autovacuum at it, slowed
     * down so that it runs for minutes; returns the worker's pid once it holds its lock on the table.
     */
    private int startSlowAutovacuum(String owner) throws InterruptedException {
        db.execute("DROP TABLE IF EXISTS av",
                "CREATE TABLE av (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false)",
                "INSERT INTO av SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g",
                "DELETE FROM av WHERE id % 2 = 0",
                "ALTER TABLE av OWNER TO " + owner,
                "ALTER TABLE av SET (autovacuum_enabled = true, autovacuum_vacuum_cost_delay = 100,"
                        + " autovacuum_vacuum_cost_limit = 1, autovacuum_vacuum_threshold = 0,"
                        + " autovacuum_vacuum_scale_factor = 0, autovacuum_analyze_threshold = 2000000000)");
        return awaitWorker("autovacuum: VACUUM% public.av");
    }

    /**
     * The pid of the autovacuum worker whose query is like {@code query}, once it holds its lock on {@code av}
     * and still holds it 300 ms later (not a worker about to finish).
     */
    private int awaitWorker(String query) throws InterruptedException {
        String seen = null;
        for (int i = 0; i < 600; i++) {
            String pid = db.query("SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                    + " AND l.relation = 'av'::regclass AND l.mode = 'ShareUpdateExclusiveLock' AND l.granted"
                    + " WHERE a.backend_type = 'autovacuum worker' AND a.query LIKE '" + query + "'");
            if (pid != null && pid.equals(seen)) {
                return Integer.parseInt(pid);
            }
            seen = pid;
            Thread.sleep(pid == null ? 100 : 300);
        }
        throw new AssertionError("no autovacuum worker came to table av within 60 s");
    }
}
