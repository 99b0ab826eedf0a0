package dev.zdm.jobs;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.liquibase.Migrations;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** A {@code file} table with rows, expanded with a shadow column, mirror trigger and a registered backfill. */
final class JobFixture {

    static final String JOB = "file.file_size_zdm";

    private JobFixture() {
    }

    static void fileTable(TestDatabase db, int rows) {
        db.execute("DROP TABLE IF EXISTS file, doc, zdm_job_reject, zdm_job_slice, zdm_job, databasechangelog,"
                        + " databasechangeloglock, zdm_mirror_rejects CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum text NOT NULL, file_size integer NOT NULL DEFAULT 0,"
                        + " touches int NOT NULL DEFAULT 0)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, " + rows + ") g");
    }

    static void expand(TestDatabase db) throws Exception {
        Migrations.update(new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource()), "jobs/expand.yaml");
    }

    static JobSettings fast(int parallelism) {
        return JobSettings.defaults().unthrottled().withParallelism(parallelism).withPollInterval(Duration.ofMillis(50));
    }

    static JobRunner runner(TestDatabase db, JobSettings settings) {
        return new JobRunner(db.dataSource(), settings, JobListener.NONE, List.of());
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long differing(TestDatabase db) throws SQLException {
        return count(db, "SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM file_size::bigint");
    }

    static JobView await(Jobs jobs, String name, JobState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView view = jobs.get(name).orElseThrow();
        while (view.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(50);
            view = jobs.get(name).orElseThrow();
        }
        return view;
    }
}
