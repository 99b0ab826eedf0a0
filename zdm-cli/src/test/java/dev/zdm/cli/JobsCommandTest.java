package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code zdm-cli jobs ...} against a real PostgreSQL: a Liquibase run registered an expand pipeline (backfill, analyze) and
 * nothing runs it but the command line, as after a one-shot migration Job.
 */
@ExtendWith(PostgresExtension.class)
class JobsCommandTest {

    private static final String BACKFILL = "file.file_size_zdm";

    private final TestDatabase db;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    JobsCommandTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void anExpandedTableWhoseJobsNothingRuns() throws Exception {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, zdm_mirror_reject,"
                        + " zdm_schema, databasechangelog, databasechangeloglock CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum text NOT NULL, file_size integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, 20000) g");
        try (Connection connection = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new Liquibase("cli/expand.yaml", new ClassLoaderResourceAccessor(), database).update("");
        }
    }

    private int jobs(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("jobs"));
        all.addAll(List.of(args));
        all.add("--url");
        all.add(db.jdbcUrl());
        all.add("--username");
        all.add(db.user());
        if (db.password() != null) {
            all.add("--password");
            all.add(db.password());
        }
        return ZdmCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private long count(String sql) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long differing() throws Exception {
        return count("SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM file_size::bigint");
    }

    @Test
    void listAndShowTheRegisteredPipelineThenRunUntilDoneCopiesEveryRowAndPrintsALinePerJob() throws Exception {
        assertThat(jobs("list")).isZero();
        assertThat(out()).contains("NAME", BACKFILL, "PENDING", "file.file_size_zdm.analyze");

        assertThat(jobs("show", BACKFILL)).isZero();
        assertThat(out()).contains("name:          " + BACKFILL, "kind:          backfill", "state:         PENDING");

        assertThat(jobs("run", "--until-done", "--parallelism", "2")).as(err()).isZero();
        assertThat(out()).contains("zdm: running jobs with 2 worker(s) until none has work left")
                .containsPattern("COMPLETED +backfill +" + BACKFILL.replace(".", "\\.") + ": 20,000 rows")
                .containsPattern("COMPLETED +analyze +file\\.file_size_zdm\\.analyze\n").containsPattern("COMPLETED +validate +")
                .as("a statement job counts no rows").doesNotContainPattern("(analyze|validate|index) +\\S+: 0 rows");
        assertThat(differing()).isZero();
        assertThat(count("SELECT count(*) FROM zdm_job WHERE state <> 'COMPLETED'")).isZero();
    }

    @Test
    void waitReadyTimesOutWhileTheJobsAreNotDoneAndPassesOnceTheyAre() throws Exception {
        long start = System.nanoTime();
        assertThat(jobs("wait", "--ready", "file.file_size", "--timeout", "2s")).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("it waited for the timeout").isGreaterThanOrEqualTo(2_000_000_000L);
        assertThat(out()).contains("file.file_size: waiting for " + BACKFILL + " (PENDING)");
        assertThat(err()).contains("zdm: not ready: the expand pipeline of file.file_size is not COMPLETED after 2s")
                .contains("zdm-cli jobs run --until-done");

        assertThat(jobs("run", "--until-done")).isZero();

        assertThat(jobs("wait", "--ready", "file.file_size", "--timeout", "10s")).as(err()).isZero();
        assertThat(out()).contains("zdm: ready: the expand pipeline of file.file_size is COMPLETED");
    }

    @Test
    void waitReadyFailsAtOnceOnAFailedJobNamingItAndTheFix() throws Exception {
        db.execute("UPDATE zdm_job SET state = 'FAILED', last_error = 'boom' WHERE name = '" + BACKFILL + "'");
        long start = System.nanoTime();

        assertThat(jobs("wait", "--ready", "file.file_size", "--timeout", "1m")).isEqualTo(1);

        assertThat(System.nanoTime() - start).as("no waiting for a job that cannot finish").isLessThan(30_000_000_000L);
        assertThat(err()).contains("job " + BACKFILL + " of the expand pipeline of file.file_size FAILED: boom")
                .contains("zdm-cli jobs retry " + BACKFILL);
        assertThat(jobs("wait", "--ready", "file.no_such_column", "--timeout", "1s")).isEqualTo(1);
        assertThat(err()).contains("no expandColumnType of file.no_such_column is recorded");
    }

    @Test
    void pauseResumeCancelAndRetryAreTheJavaApisActionsAndARefusalExitsOne() throws Exception {
        assertThat(jobs("pause", BACKFILL)).isZero();
        assertThat(out()).contains("zdm: job " + BACKFILL + " is PAUSED (pause)");
        assertThat(jobs("pause", BACKFILL)).isEqualTo(1);
        assertThat(err()).contains("zdm: cannot pause a paused job (" + BACKFILL + "): resume it to let it go on");

        assertThat(jobs("run", "--until-done")).as("a paused job is left paused").isEqualTo(1);
        assertThat(out()).containsPattern("PAUSED +backfill +" + BACKFILL.replace(".", "\\."));
        assertThat(count("SELECT count(*) FROM file WHERE file_size_zdm IS NULL")).isPositive();

        assertThat(jobs("cancel", BACKFILL)).isZero();
        assertThat(jobs("retry", BACKFILL)).isZero();
        assertThat(out()).contains("is PENDING (retry)");
        assertThat(jobs("pause", BACKFILL)).isZero();
        assertThat(jobs("resume", BACKFILL)).isZero();
        assertThat(jobs("run", "--until-done")).isZero();
        assertThat(differing()).isZero();

        assertThat(jobs("retry", "no.such.job")).isEqualTo(1);
        assertThat(err()).contains("zdm: no job named 'no.such.job'").contains("jobs list");
    }

    @Test
    void usageErrorsExitTwoWithAClearMessageBeforeAnythingChanges() throws Exception {
        String[][] wrong = {
            { "jobs" },
            { "jobs", "frobnicate", "--url", db.jdbcUrl() },
            { "jobs", "list" },
            { "jobs", "list", "--url", "jdbc:mysql://x/y" },
            { "jobs", "pause", "--url", db.jdbcUrl() },
            { "jobs", "run", "--parallelism", "zero", "--url", db.jdbcUrl() },
            { "jobs", "wait", "--url", db.jdbcUrl() },
            { "jobs", "wait", "--ready", "file", "--url", db.jdbcUrl() },
            { "jobs", "wait", "--ready", "file.file_size", "--timeout", "soon", "--url", db.jdbcUrl() },
            { "jobs", "cancel", BACKFILL, "--until-done", "--url", db.jdbcUrl() },
        };
        String[] expected = { "no jobs command", "unknown jobs command 'frobnicate'", "--url is required",
            "--url must be a PostgreSQL JDBC URL", "jobs pause needs a job name", "--parallelism takes a whole number",
            "jobs wait needs --ready TABLE.COLUMN", "--ready takes TABLE.COLUMN", "--timeout takes a duration such as 30s",
            "unknown option '--until-done' for jobs cancel" };
        for (int i = 0; i < wrong.length; i++) {
            out = new ByteArrayOutputStream();
            err = new ByteArrayOutputStream();
            int exit = ZdmCli.run(wrong[i], new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(String.join(" ", wrong[i])).isEqualTo(2);
            assertThat(err()).as(String.join(" ", wrong[i])).startsWith("zdm jobs: " + expected[i]).contains("usage: jobs COMMAND");
        }
        assertThat(count("SELECT count(*) FROM zdm_job WHERE state = 'PENDING'")).as("nothing changed").isEqualTo(3);
    }
}
