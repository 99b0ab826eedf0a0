package dev.zdm.bench;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.liquibase.ZdmChangeExecListener;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The longest single writer wait while {@code file_size} becomes bigint: a plain {@code ALTER TABLE ... TYPE bigint}
 * on one table against zdm's expand → jobs (default settings) → cutover → contract on an identical one, four writers
 * running throughout ({@code UPDATE ... SET file_size = file_size + 1} and INSERTs, prepared, autosave=conservative).
 *
 * <p>{@code java -cp zdm-benchmarks/target/benchmarks.jar dev.zdm.bench.TypeChangeScenario [rows]}
 */
public final class TypeChangeScenario {

    private TypeChangeScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (TestDatabase database = TestPostgres.shared().createDatabase("bench_typechange")) {
            for (String table : List.of("t_alter", "t_zdm")) {
                database.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, checksum text NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0, touches integer NOT NULL DEFAULT 0,"
                        + " created timestamptz NOT NULL DEFAULT now())",
                        "INSERT INTO " + table + " (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, " + rows + ") g",
                        "CREATE INDEX ON " + table + " (checksum, file_size)", "VACUUM ANALYZE " + table);
            }
            System.out.printf("PostgreSQL %d, %,d rows, 4 writers%n", TestPostgres.shared().majorVersion(), rows);

            Writers plain = new Writers(database, "t_alter", rows);
            Thread.sleep(1_000);
            long start = System.nanoTime();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE t_alter ALTER COLUMN file_size TYPE bigint");
            }
            double alterSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(1_000);
            plain.stop();
            System.out.printf("  plain ALTER TABLE ... TYPE bigint: took %.1f s; longest writer wait %,d ms, %d writer errors%n",
                    alterSeconds, plain.longest.get(), plain.errors.get());

            DataSource migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(database.dataSource());
            Writers zdm = new Writers(database, "t_zdm", rows);
            Thread.sleep(1_000);
            long total = System.nanoTime();
            migrate(migrations, "bench/typechange-expand.yaml");
            long expandWait = zdm.longest.getAndSet(0);
            Jobs jobs = new Jobs(database.dataSource());
            try (JobRunner runner = new JobRunner(database.dataSource(), JobSettings.defaults().withPollInterval(Duration.ofMillis(200)),
                    JobListener.NONE, List.of())) {
                runner.start();
                while (!jobs.list().stream().allMatch(j -> j.state() == JobState.COMPLETED)) {
                    if (jobs.list().stream().anyMatch(j -> j.state() == JobState.FAILED)) {
                        throw new IllegalStateException("a job failed: " + jobs.list().stream().map(JobView::lastError).toList());
                    }
                    Thread.sleep(200);
                }
            }
            long jobsWait = zdm.longest.getAndSet(0);
            migrate(migrations, "bench/typechange-cutover.yaml");
            long cutoverWait = zdm.longest.getAndSet(0);
            migrate(migrations, "bench/typechange-contract.yaml");
            Thread.sleep(1_000);
            zdm.stop();
            long contractWait = zdm.longest.get();
            long longest = Math.max(Math.max(expandWait, jobsWait), Math.max(cutoverWait, contractWait));
            System.out.printf("  zdm expand -> jobs -> cutover -> contract: took %.1f s; longest writer wait %,d ms"
                    + " (expand %d, jobs %d, cutover %d, contract %d), %d writer errors%n", (System.nanoTime() - total) / 1e9,
                    longest, expandWait, jobsWait, cutoverWait, contractWait, zdm.errors.get());
            System.out.printf("  longest writer wait, zdm / plain ALTER: %.3f%n", (double) longest / Math.max(1, plain.longestOverall));
        }
    }

    private static void migrate(DataSource dataSource, String changeLog) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(),
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)));
            liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
            liquibase.update();
        }
    }

    /** Four writers; each statement's latency counts as a wait. */
    static final class Writers {
        final AtomicLong longest = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        long longestOverall;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Writers(TestDatabase database, String table, int rows) {
            for (int i = 0; i < 4; i++) {
                Thread thread = new Thread(() -> {
                    Properties props = new Properties();
                    props.setProperty("autosave", "conservative");
                    try (Connection connection = database.connect(props);
                            PreparedStatement bump = connection.prepareStatement("UPDATE " + table
                                    + " SET file_size = file_size + 1, touches = touches + 1 WHERE id = ?");
                            PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (checksum) VALUES (?)")) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (running.get()) {
                            long start = System.nanoTime();
                            try {
                                if (random.nextInt(4) == 0) {
                                    insert.setString(1, "w" + random.nextLong());
                                    insert.executeUpdate();
                                } else {
                                    bump.setLong(1, 1 + random.nextInt(rows));
                                    bump.executeUpdate();
                                }
                            } catch (java.sql.SQLException e) {
                                errors.incrementAndGet();
                            }
                            long waited = (System.nanoTime() - start) / 1_000_000;
                            longest.accumulateAndGet(waited, Math::max);
                            synchronized (this) {
                                longestOverall = Math.max(longestOverall, waited);
                            }
                            Thread.sleep(2);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }, "bench-writer-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            longestOverall = Math.max(longestOverall, longest.get());
        }
    }
}
