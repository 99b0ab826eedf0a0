package dev.zdm.sample;

import dev.zdm.guard.Guard;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.liquibase.ZdmChangeExecListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * {@code --sample.demo=true --sample.rows=N}: seeds N files, starts writers, walks releases 2 → 4 in process (the
 * application's own job runner does the backfill), then runs the same writers against a plain
 * {@code ALTER TABLE ... TYPE bigint} on a copy, and prints per stage the longest writer wait and the errors, the
 * backfill's rows/s, and a data check (lost updates).
 *
 * <p>The writers use plain JDBC, not {@link FileRepository}: they are the measuring instrument, and must send the same
 * statement ({@code UPDATE ... SET file_size = file_size + 1}, atomic, so lost updates can be counted) to {@code file}
 * under zdm and to {@code file_copy} under the plain ALTER, which has no entity.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.demo")
class Demo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    private final DataSource dataSource;
    private final Guard guard;
    private final Jobs jobs;
    private final SampleProperties properties;
    private volatile Map<String, long[]> summary;
    private volatile long lostUpdates = -1;
    private volatile double backfillRowsPerSecond;

    Demo(DataSource dataSource, Guard guard, Jobs jobs, SampleProperties properties) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.jobs = jobs;
        this.properties = properties;
    }

    /** Stage → {longest writer wait in ms, writer errors}; {@code null} until the demo ends. */
    Map<String, long[]> summary() {
        return summary;
    }

    long lostUpdates() {
        return lostUpdates;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        int rows = properties.getRows();
        execute("TRUNCATE file RESTART IDENTITY", "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g"
                + " FROM generate_series(1, " + rows + ") g", "DROP TABLE IF EXISTS file_copy",
                "CREATE TABLE file_copy (LIKE file INCLUDING ALL)", "INSERT INTO file_copy SELECT * FROM file",
                "VACUUM ANALYZE file", "VACUUM ANALYZE file_copy");
        log.info("zdm demo: {} rows seeded; writers start, then releases 2 → 4", rows);
        Map<String, long[]> result = new LinkedHashMap<>();
        Writers writers = new Writers("file", rows);
        Thread.sleep(1_000);
        migrate("db/changelog/release-2.xml");
        result.put("2 expand", writers.takeStage());
        long started = System.nanoTime();
        while (!jobs.list().stream().allMatch(j -> j.state() == JobState.COMPLETED)) {
            if (jobs.list().stream().anyMatch(j -> j.state() == JobState.FAILED)) {
                throw new IllegalStateException("a job failed: " + jobs.list().stream().map(JobView::lastError).toList());
            }
            jobs.list().stream().filter(j -> j.state() == JobState.RUNNING).forEach(j -> log.info("zdm demo: {}", j.progressLine()));
            Thread.sleep(2_000);
        }
        backfillRowsPerSecond = rows / ((System.nanoTime() - started) / 1e9);
        result.put("   background jobs", writers.takeStage());
        migrate("db/changelog/release-3.xml");
        result.put("3 cutover", writers.takeStage());
        migrate("db/changelog/release-4.xml");
        Thread.sleep(500);
        result.put("4 contract", writers.takeStage());
        lostUpdates = writers.stopAndCountLostUpdates();

        Writers plain = new Writers("file_copy", rows);
        Thread.sleep(1_000);
        execute("ALTER TABLE file_copy ALTER COLUMN file_size TYPE bigint");
        Thread.sleep(500);
        result.put("plain ALTER TABLE (copy)", plain.takeStage());
        plain.stopAndCountLostUpdates();
        summary = result;
        StringBuilder table = new StringBuilder(String.format("%nzdm demo, %,d rows%n%-28s %22s %14s%n", rows, "stage",
                "longest writer wait", "writer errors"));
        result.forEach((stage, values) -> table.append(String.format("%-28s %19d ms %14d%n", stage, values[0], values[1])));
        table.append(String.format("backfill: %,.0f rows/s (whole pipeline); data check: %d lost updates%n",
                backfillRowsPerSecond, lostUpdates));
        log.info(table.toString());
    }

    private void migrate(String changeLog) throws Exception {
        try (Connection connection = guard.wrapForMigrations(dataSource).getConnection()) {
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(),
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)));
            liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
            liquibase.update();
        }
    }

    private void execute(String... sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** Writers adding 1 to random files' sizes, remembering every increment to check for lost updates. */
    private final class Writers {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong longest = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLongArray increments;
        private final List<Thread> threads = new ArrayList<>();
        private final String table;

        Writers(String table, int rows) {
            this.table = table;
            this.increments = new AtomicLongArray(rows + 1);
            for (int i = 0; i < 4; i++) {
                Thread thread = new Thread(() -> write(rows), "demo-writer-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void write(int rows) {
            try (Connection connection = dataSource.getConnection(); PreparedStatement bump = connection.prepareStatement(
                    "UPDATE " + table + " SET file_size = file_size + 1 WHERE id = ?")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    int id = 1 + random.nextInt(rows);
                    long start = System.nanoTime();
                    try {
                        bump.setInt(1, id);
                        if (bump.executeUpdate() == 1) {
                            increments.incrementAndGet(id);
                        }
                    } catch (java.sql.SQLException e) {
                        errors.incrementAndGet();
                    }
                    longest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }

        long[] takeStage() {
            return new long[] { longest.getAndSet(0), errors.getAndSet(0) };
        }

        long stopAndCountLostUpdates() throws Exception {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            long lost = 0;
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                    java.sql.ResultSet rs = statement.executeQuery("SELECT id, file_size FROM " + table + " WHERE id <= "
                            + (increments.length() - 1))) {
                while (rs.next()) {
                    if (rs.getLong(2) != rs.getLong(1) + increments.get(rs.getInt(1))) {
                        lost++;
                    }
                }
            }
            return lost;
        }
    }
}
