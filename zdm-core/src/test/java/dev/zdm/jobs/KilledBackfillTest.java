package dev.zdm.jobs;

import static dev.zdm.jobs.JobFixture.JOB;
import static dev.zdm.jobs.JobFixture.count;
import static dev.zdm.jobs.JobFixture.differing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the JVM running a backfill, several times at random points: the job still ends exactly right. */
@ExtendWith(PostgresExtension.class)
class KilledBackfillTest {

    private static final int ROWS = 150_000;

    private static long progress(TestDatabase db) throws java.sql.SQLException {
        return count(db, "SELECT coalesce(sum(rows_done), 0) FROM zdm_job_slice");
    }

    @Test
    void aBackfillKilledAgainAndAgainResumesAndCountsEveryRowOnce(TestDatabase db, @TempDir Path dir) throws Exception {
        JobFixture.fileTable(db, ROWS);
        JobFixture.expand(db);
        Random random = new Random(42);
        int kills = 0;
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), BackfillMain.class.getName(), db.jdbcUrl(), db.user(), "1500")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
            long before = progress(db);
            for (int wait = 0; wait < 300 && child.isAlive() && progress(db) == before; wait++) {
                Thread.sleep(50); // until this child has committed batches of its own
            }
            Thread.sleep(100 + random.nextInt(900));
            if (child.isAlive()) {
                child.destroyForcibly(); // SIGKILL: mid-batch, lease held
                kills++;
            }
            child.waitFor(30, TimeUnit.SECONDS);
        }
        JobFixture.runner(db, JobFixture.fast(1).withLease(Duration.ofSeconds(2))).drain(Duration.ofMinutes(3));
        for (int wait = 0; wait < 20 && new Jobs(db.dataSource()).get(JOB).orElseThrow().state() != JobState.COMPLETED; wait++) {
            Thread.sleep(500); // a killed runner's lease still running out
            JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(3));
        }

        assertThat(new Jobs(db.dataSource()).get(JOB).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(kills).as("killed while working").isPositive();
        assertThat(differing(db)).isZero();
        assertThat(count(db, "SELECT sum(rows_done) FROM zdm_job_slice WHERE job_name = '" + JOB + "'"))
                .as("progress is exactly-once: a killed batch rolled back and was redone").isEqualTo(ROWS);
    }
}
