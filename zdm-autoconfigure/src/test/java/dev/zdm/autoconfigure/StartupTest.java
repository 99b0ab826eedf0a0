package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Promise 3: no slow work at start-up. A release whose changelog builds an index and validates a foreign key on a table
 * that a long transaction keeps busy starts at once; the work finishes in the background; the next release's changeset
 * that needs it refuses, naming the jobs, until they are COMPLETED.
 */
@ExtendWith(PostgresExtension.class)
class StartupTest {

    private final TestDatabase db;

    StartupTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        db.execute("DROP TABLE IF EXISTS file, owner, zdm_job_reject, zdm_job_slice, zdm_job, databasechangelog,"
                        + " databasechangeloglock CASCADE",
                "CREATE TABLE owner (id bigint PRIMARY KEY)", "INSERT INTO owner SELECT g FROM generate_series(1, 10) g",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum text NOT NULL, owner_id bigint)",
                "INSERT INTO file (checksum, owner_id) SELECT md5(g::text), 1 + g % 10 FROM generate_series(1, 20000) g",
                "CREATE INDEX file_checksum_old_idx ON file (checksum)");
    }

    @Test
    void aReleaseWithAnIndexAndAForeignKeyStartsAtOnceBehindALongTransactionAndTheWorkFinishesInTheBackground()
            throws Exception {
        try (Connection longTransaction = db.connect()) {
            longTransaction.setAutoCommit(false);
            longTransaction.createStatement().execute("UPDATE file SET checksum = checksum WHERE id = 1"); // a writer, open

            long start = System.nanoTime();
            app("db/startup/release-1.yaml").run(context -> {
                long startedMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(context).hasNotFailed();
                System.out.printf("release 1 started in %d ms behind an open writer transaction%n", startedMillis);
                assertThat(startedMillis).as("start-up, ms").isLessThan(15_000);
                assertThat(context.getBean("backfillsHealthIndicator", HealthIndicator.class).health(false).getStatus())
                        .isEqualTo(Status.UP);
                Jobs jobs = context.getBean(Jobs.class);
                assertThat(jobs.list()).extracting(JobView::name).containsExactly("file.index.file_checksum_idx", "file.fk.file_owner_fk");
                assertThat(db.query("SELECT count(*) FROM pg_constraint WHERE conname = 'file_owner_fk'")).isEqualTo("0");

                // the next release needs that work: it refuses, naming the jobs, and changes nothing
                app("db/startup/release-2.yaml").run(next -> {
                    assertThat(next).getFailure().rootCause().hasMessageContaining("awaitJobs")
                            .hasMessageContaining("waiting for background job(s)")
                            .hasMessageContaining("file.index.file_checksum_idx (").hasMessageContaining("file.fk.file_owner_fk (");
                    org.springframework.boot.diagnostics.FailureAnalysis analysis = new ZdmChangeFailureAnalyzer()
                            .analyze(next.getStartupFailure());
                    assertThat(analysis).as("Spring Boot's failure analysis, printed once").isNotNull();
                    assertThat(analysis.getDescription()).startsWith("zdm refused a change: zdm: changeset")
                            .contains("file.index.file_checksum_idx").doesNotContain("correct the changeset");
                    assertThat(analysis.getAction()).contains("background work that is not finished yet")
                            .contains("zdm-cli jobs run");
                });
                assertThat(db.query("SELECT count(*) FROM pg_class WHERE relname = 'file_checksum_old_idx'")).isEqualTo("1");

                longTransaction.rollback(); // the work goes on in the background of the running release
                awaitCompleted(jobs, Duration.ofMinutes(1));
            });
        }
        assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'file_checksum_idx'::regclass")).isEqualTo("t");
        assertThat(db.query("SELECT convalidated FROM pg_constraint WHERE conname = 'file_owner_fk'")).isEqualTo("t");

        app("db/startup/release-2.yaml").run(next -> assertThat(next).hasNotFailed());
        assertThat(db.query("SELECT count(*) FROM pg_class WHERE relname = 'file_checksum_old_idx'"))
                .as("the dependent changeset ran once the jobs were COMPLETED").isEqualTo("0");
    }

    @Test
    void aChangeThatCannotRunAsWrittenStopsStartUpWithOneAnalysisNamingTheChangesetAndTheFix() {
        app("db/startup/bad-table.yaml").run(context -> {
            org.springframework.boot.diagnostics.FailureAnalysis analysis = new ZdmChangeFailureAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("index-on-a-missing-table").contains("createIndexConcurrently")
                    .contains("tableName: table no_such_table does not exist");
            assertThat(analysis.getAction()).startsWith("Correct the changeset as described above");
        });
    }

    private ApplicationContextRunner app(String changeLog) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, LiquibaseAutoConfiguration.class,
                        ZdmAutoConfiguration.class, ZdmActuatorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                        "spring.liquibase.change-log=classpath:" + changeLog, "zdm.backfill.poll-interval=100ms");
    }

    private static void awaitCompleted(Jobs jobs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JobView> all = jobs.list();
            if (all.stream().allMatch(j -> j.state() == JobState.COMPLETED)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("jobs not COMPLETED: " + jobs.list());
    }
}
