package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** expandColumnType: the quick part at migration time, the pipeline in the background, and what it refuses up front. */
@ExtendWith(PostgresExtension.class)
class ExpandColumnTypeTest {

    private final TestDatabase db;
    private DataSource migrations;

    ExpandColumnTypeTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void schema() {
        db.execute("DROP TABLE IF EXISTS file, owner, doc, doc_ref, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change,"
                        + " databasechangelog, databasechangeloglock, zdm_mirror_rejects CASCADE",
                "DROP VIEW IF EXISTS big_files",
                "CREATE TABLE owner (id bigint PRIMARY KEY)", "INSERT INTO owner VALUES (1), (2)",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0 CHECK (file_size >= 0), owner_id int REFERENCES owner (id))",
                "INSERT INTO file (checksum, file_size, owner_id) SELECT md5(g::text), g, 1 + g % 2 FROM generate_series(1, 5000) g",
                "CREATE INDEX file_checksum_file_size_idx ON file (checksum, file_size)",
                "CREATE INDEX file_big_idx ON file (checksum) WHERE file_size > 1000",
                "CREATE INDEX file_double_idx ON file ((file_size * 2))",
                "CREATE VIEW big_files AS SELECT id, file_size FROM file WHERE file_size > 1000");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void addsTheShadowAndItsConstraintsAtOnceAndLeavesTheSlowWorkToAPipelineOfJobs() throws Exception {
        Migrations.update(migrations, "changes/expand-type.yaml");

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                + " WHERE attrelid = 'file'::regclass AND attname = 'file_size_zdm'")).isEqualTo("bigint false");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND conname LIKE '%zdm%'"))
                .as("the copies of NOT NULL and the CHECK wait for the backfill: even NOT VALID they would check every write")
                .isEqualTo("0");
        db.execute("UPDATE file SET checksum = 'other-column' WHERE id = 5");
        assertThat(query("SELECT using_expr FROM zdm_job WHERE name = 'file.file_size_zdm.validate.file_file_size_check_zdm'"))
                .as("its job adds the copy, then validates it").isEqualTo("CHECK ((file_size_zdm >= 0))");
        assertThat(query("SELECT string_agg(id::text, ',') FROM file WHERE file_size_zdm IS NOT NULL"))
                .as("no backfill at start-up: only the row updated since has its value, from the mirror").isEqualTo("5");
        assertThat(query("SELECT stage || ' ' || array_to_string(views, ',') FROM zdm_column_change WHERE table_name = 'file'"))
                .isEqualTo("EXPANDED big_files");

        Jobs jobs = new Jobs(db.dataSource());
        assertThat(jobs.list()).extracting(JobView::name).containsExactlyInAnyOrder("file.file_size_zdm",
                "file.file_size_zdm.index.file_big_idx_zdm", "file.file_size_zdm.index.file_checksum_file_size_idx_zdm",
                "file.file_size_zdm.index.file_double_idx_zdm", "file.file_size_zdm.analyze",
                "file.file_size_zdm.validate.file_file_size_zdm_nn", "file.file_size_zdm.validate.file_file_size_check_zdm");

        new JobRunner(db.dataSource(), JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50)),
                JobListener.NONE, List.of()).drain(Duration.ofMinutes(2));

        assertThat(jobs.list()).allSatisfy(job -> assertThat(job.state()).as(job.name()).isEqualTo(JobState.COMPLETED));
        assertThat(query("SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM file_size::bigint")).isEqualTo("0");
        assertThat(query("SELECT string_agg(indexdef, ' | ' ORDER BY indexname) FROM pg_indexes WHERE indexname LIKE '%\\_zdm'"))
                .isEqualTo("CREATE INDEX file_big_idx_zdm ON public.file USING btree (checksum) WHERE (file_size_zdm > 1000)"
                        + " | CREATE INDEX file_checksum_file_size_idx_zdm ON public.file USING btree (checksum, file_size_zdm)"
                        + " | CREATE INDEX file_double_idx_zdm ON public.file USING btree (((file_size_zdm * 2)))");
        assertThat(query("SELECT string_agg(conname || ' ' || convalidated, ', ' ORDER BY conname) FROM pg_constraint"
                + " WHERE conrelid = 'file'::regclass AND conname LIKE '%zdm%'"))
                .isEqualTo("file_file_size_check_zdm true, file_file_size_zdm_nn true");

        Migrations.update(migrations, "changes/expand-type.yaml");
        assertThat(jobs.list()).as("running it again changes nothing").allSatisfy(job ->
                assertThat(job.state()).isEqualTo(JobState.COMPLETED));
    }

    @Test
    void refusesWhatCannotFollowTheColumnBeforeChangingAnything() {
        db.execute("CREATE STATISTICS file_stats (dependencies) ON checksum, file_size FROM file",
                "ALTER TABLE file ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY small_only ON file USING (file_size < 100)");
        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, "changes/expand-type.yaml"));
        assertThat(ChangeTypesTest.zdmCause(thrown)).as("%s", thrown).isNotNull()
                .hasMessageContaining("expandColumnType: columnName:").hasMessageContaining("policy small_only")
                .hasMessageContaining("statistics object file_stats").hasMessageContaining("Nothing of this change was run");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size_zdm'"))
                .isEqualTo("0");
    }

    @Test
    void refusesAVarcharToUuidChangeOfAColumnOtherTablesReference() {
        db.execute("CREATE TABLE doc (id varchar(36) PRIMARY KEY)",
                "CREATE TABLE doc_ref (id serial PRIMARY KEY, doc_id varchar(36) REFERENCES doc (id))");
        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, "changes/expand-uuid.yaml"));
        assertThat(ChangeTypesTest.zdmCause(thrown)).as("%s", thrown).isNotNull()
                .hasMessageContaining("newDataType: foreign keys [doc_ref.doc_ref_doc_id_fkey] reference doc.id");
    }

    private String query(String sql) {
        return db.query(sql);
    }
}
