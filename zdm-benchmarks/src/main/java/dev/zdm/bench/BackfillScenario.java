package dev.zdm.bench;

import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.Jobs;
import dev.zdm.liquibase.ZdmChangeExecListener;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * zdm's backfill against the one-statement baseline on identical tables, int to bigint with the mirror trigger
 * installed: {@code UPDATE t SET file_size_zdm = file_size} vs the job runner with throttling off (1 and 2 slices),
 * then the job runner at default settings (rows/s, p99 batch time). Ratios are rows/s of zdm over the baseline's.
 *
 * <p>{@code java -cp zdm-benchmarks/target/benchmarks.jar dev.zdm.bench.BackfillScenario [rows]}
 */
public final class BackfillScenario {

    private BackfillScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (TestDatabase database = TestPostgres.shared().createDatabase("bench_backfill")) {
            List<String> tables = List.of("t_baseline", "t_one_slice", "t_two_slices", "t_defaults");
            for (String table : tables) {
                database.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, checksum text NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0, created timestamptz NOT NULL DEFAULT now())",
                        "INSERT INTO " + table + " (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, " + rows + ") g",
                        "CREATE INDEX ON " + table + " (checksum, file_size)");
            }
            try (Connection connection = database.connect()) {
                Liquibase liquibase = new Liquibase("bench/backfill.yaml", new ClassLoaderResourceAccessor(),
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)));
                liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
                liquibase.update();
            }
            for (String table : tables) {
                database.execute("VACUUM ANALYZE " + table);
            }
            System.out.printf("PostgreSQL %d, %,d rows per table, mirror trigger installed on each%n",
                    TestPostgres.shared().majorVersion(), rows);

            long start = System.nanoTime();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE t_baseline SET file_size_zdm = file_size");
            }
            double baseline = seconds(start);
            System.out.printf("  baseline: one UPDATE of every row     %6.1f s  %,9.0f rows/s%n", baseline, rows / baseline);

            Jobs jobs = new Jobs(database.dataSource());
            JobSettings unthrottled = JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50))
                    .withBatch(5_000, Duration.ofMillis(500));
            double one = run(database, jobs, "t_one_slice", unthrottled.withParallelism(1), null);
            System.out.printf("  zdm, throttling off, 1 slice          %6.1f s  %,9.0f rows/s  ratio %.2f%n", one, rows / one,
                    baseline / one);
            double two = run(database, jobs, "t_two_slices", unthrottled.withParallelism(2), null);
            System.out.printf("  zdm, throttling off, 2 slices         %6.1f s  %,9.0f rows/s  ratio %.2f%n", two, rows / two,
                    baseline / two);
            List<Long> batchMillis = Collections.synchronizedList(new ArrayList<>());
            double defaults = run(database, jobs, "t_defaults", JobSettings.defaults().withPollInterval(Duration.ofMillis(50)),
                    batchMillis);
            List<Long> sorted = new ArrayList<>(batchMillis);
            Collections.sort(sorted);
            System.out.printf("  zdm, default settings                 %6.1f s  %,9.0f rows/s  ratio %.2f  batches %d,"
                    + " p50 %d ms, p99 %d ms, max %d ms%n", defaults, rows / defaults, baseline / defaults, sorted.size(),
                    sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)), sorted.get(sorted.size() - 1));
        }
    }

    private static double run(TestDatabase database, Jobs jobs, String table, JobSettings settings, List<Long> batchMillis)
            throws Exception {
        String name = table + ".file_size_zdm";
        JobListener listener = new JobListener() {
            @Override
            public void batch(String job, long rows, Duration elapsed) {
                if (batchMillis != null && rows > 0) {
                    batchMillis.add(elapsed.toMillis());
                }
            }
        };
        jobs.register(JobDefinition.backfill(name, table, "file_size_zdm", "file_size::bigint", null, null, List.of()));
        long start = System.nanoTime();
        try (JobRunner runner = new JobRunner(database.dataSource(), settings, listener, List.of())) {
            runner.start();
            while (jobs.get(name).orElseThrow().state() != JobState.COMPLETED) {
                Thread.sleep(20);
            }
        }
        return seconds(start);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
