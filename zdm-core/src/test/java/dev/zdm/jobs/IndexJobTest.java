package dev.zdm.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class IndexJobTest {

    private final TestDatabase db;

    IndexJobTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void anInvalidIndexInASchemaOffTheRunnersSearchPathIsDroppedAndRebuilt() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS sales CASCADE", "DROP TABLE IF EXISTS zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE SCHEMA sales", "CREATE TABLE sales.orders (id int PRIMARY KEY, code int)",
                "INSERT INTO sales.orders SELECT g, g % 10 FROM generate_series(1, 1000) g");
        // an interrupted build's leftover: the unique build fails on duplicates and leaves its index INVALID
        try {
            db.execute("CREATE UNIQUE INDEX CONCURRENTLY orders_code_idx ON sales.orders (code)");
        } catch (IllegalStateException expected) {
            // could not create unique index
        }
        assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'sales.orders_code_idx'::regclass")).isEqualTo("f");

        new Jobs(db.dataSource()).register(JobDefinition.index("sales.orders.index.orders_code_idx", "sales.orders",
                "orders_code_idx", "CREATE INDEX CONCURRENTLY orders_code_idx ON sales.orders (code)", List.of()));
        JobFixture.runner(db, JobFixture.fast(1)).drain(Duration.ofMinutes(1)); // its search_path does not hold sales

        assertThat(new Jobs(db.dataSource()).get("sales.orders.index.orders_code_idx").orElseThrow().state())
                .isEqualTo(JobState.COMPLETED);
        assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'sales.orders_code_idx'::regclass")).isEqualTo("t");
    }
}
