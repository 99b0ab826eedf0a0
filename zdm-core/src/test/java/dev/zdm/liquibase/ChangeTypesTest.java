package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.liquibase.change.ZdmChangeException;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.exception.ValidationFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** zdm's change types on a table with rows: what they leave in the catalog, rollback, and bad input. */
@ExtendWith(PostgresExtension.class)
class ChangeTypesTest {

    private final TestDatabase db;
    private DataSource migrations;

    ChangeTypesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        db.execute("DROP TABLE IF EXISTS file, owner, doc, zdm_job_reject, zdm_job_slice, zdm_job, databasechangelog, databasechangeloglock, zdm_mirror_rejects CASCADE",
                "DROP FUNCTION IF EXISTS zdm_mirror_file_file_size_file_size_bigint() CASCADE",
                "CREATE TABLE owner (id bigint PRIMARY KEY)",
                "INSERT INTO owner SELECT g FROM generate_series(1, 10) g",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL DEFAULT 0,"
                        + " name text, owner_id bigint)",
                "INSERT INTO file (checksum, file_size, name, owner_id) SELECT md5(g::text), g, 'n' || g, 1 + g % 10"
                        + " FROM generate_series(1, 2000) g");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void expandsTheFileTableAsDocumented() throws Exception {
        Migrations.update(migrations, "changes/expand.xml");
        assertThat(query("SELECT string_agg(name || ' ' || state, ', ' ORDER BY name) FROM zdm_job"))
                .as("the slow work is registered, not done, during the migration")
                .isEqualTo("file.fk.file_owner_fk PENDING, file.index.file_checksum_key PENDING,"
                        + " file.index.file_checksum_size_bigint_idx PENDING, file.not-null.name PENDING,"
                        + " file.not-null.name.validate PENDING, file.unique.file_checksum_key PENDING");
        assertThat(query("SELECT count(*) FROM pg_class WHERE relname IN ('file_checksum_size_bigint_idx', 'file_checksum_key')"))
                .isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND contype IN ('f', 'u', 'c')"))
                .isEqualTo("0");
        runJobs();

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                + " WHERE attrelid = 'file'::regclass AND attname = 'file_size_bigint'")).isEqualTo("bigint false");
        assertThat(query("SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'file'::regclass"
                + " AND NOT tgisinternal")).isEqualTo("zdm_mirror_ins_file_file_size_file_size_bigint,"
                        + "zdm_mirror_upd_file_file_size_file_size_bigint");
        assertThat(query("SELECT indexdef || ' ' || indisvalid FROM pg_indexes JOIN pg_index ON indexrelid = (schemaname || '.'"
                + " || indexname)::regclass WHERE indexname = 'file_checksum_size_bigint_idx'"))
                .isEqualTo("CREATE INDEX file_checksum_size_bigint_idx ON public.file USING btree (checksum, file_size_bigint) true");
        assertThat(query("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'name'"))
                .isEqualTo("true");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'zdm_nn%'")).as("helper check dropped")
                .isEqualTo("0");
        assertThat(query("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conname = 'file_owner_fk'"))
                .isEqualTo("FOREIGN KEY (owner_id) REFERENCES owner(id) ON DELETE CASCADE true");
        assertThat(query("SELECT contype::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'file_checksum_key'"))
                .isEqualTo("u UNIQUE (checksum)");

        assertThat(query("SELECT prosrc FROM pg_proc WHERE proname = 'zdm_mirror_file_file_size_file_size_bigint'"))
                .as("integer to bigint cannot fail: no exception block, no subtransaction per row").doesNotContain("EXCEPTION");
        execute("INSERT INTO file (checksum, file_size, name) VALUES ('new', 7, 'n')", "UPDATE file SET file_size = 99 WHERE id = 1");
        assertThat(query("SELECT file_size_bigint FROM file WHERE checksum = 'new'")).isEqualTo("7");
        assertThat(query("SELECT file_size_bigint FROM file WHERE id = 1")).isEqualTo("99");
        assertThat(query("SELECT count(*) FROM file WHERE file_size_bigint IS NULL")).as("old rows wait for the backfill")
                .isEqualTo("1999");
    }

    @Test
    void rollsEveryChangeBack() throws Exception {
        Migrations.update(migrations, "changes/expand.xml");
        runJobs();
        Migrations.rollback(migrations, "changes/expand.xml", 6);

        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size_bigint'"
                + " AND NOT attisdropped")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'file'::regclass AND NOT tgisinternal")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_proc WHERE proname = 'zdm_mirror_file_file_size_file_size_bigint'")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_class WHERE relname IN ('file_checksum_size_bigint_idx', 'file_checksum_key')"))
                .isEqualTo("0");
        assertThat(query("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'name'"))
                .isEqualTo("false");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND contype IN ('f', 'u')"))
                .isEqualTo("0");
        assertThat(query("SELECT count(*) FROM databasechangelog")).isEqualTo("0");
    }

    @Test
    void rollsEveryChangeBackBeforeItsJobsRanAndNoJobDoesItsWorkAfterwards() throws Exception {
        Migrations.update(migrations, "changes/expand.xml");
        String before = schemaOfFile();
        Migrations.rollback(migrations, "changes/expand.xml", 6);

        assertThat(query("SELECT string_agg(name || ' ' || state, ', ' ORDER BY name) FROM zdm_job"))
                .isEqualTo("file.fk.file_owner_fk CANCELLED, file.index.file_checksum_key CANCELLED,"
                        + " file.index.file_checksum_size_bigint_idx CANCELLED, file.not-null.name CANCELLED,"
                        + " file.not-null.name.validate CANCELLED, file.unique.file_checksum_key CANCELLED");
        assertThat(query("SELECT count(*) FROM databasechangelog")).isEqualTo("0");
        String rolledBack = schemaOfFile();
        runJobs(); // a runner that comes along later finds nothing to do
        assertThat(schemaOfFile()).as("what the runner leaves").isEqualTo(rolledBack)
                .doesNotContain("file_size_bigint", "file_owner_fk", "file_checksum_key", "zdm_nn", "name text NOT NULL");
        assertThat(rolledBack).isNotEqualTo(before);

        Migrations.update(migrations, "changes/expand.xml"); // deployed again: its jobs start over
        assertThat(query("SELECT count(*) FROM zdm_job WHERE state = 'PENDING'")).isEqualTo("6");
        runJobs();
        assertThat(query("SELECT count(*) FROM zdm_job WHERE state = 'COMPLETED'")).isEqualTo("6");
        assertThat(schemaOfFile()).contains("file_owner_fk", "file_checksum_key", "name text NOT NULL");
    }

    @Test
    void aRollbackRefusesWhileARunnerWorksOneOfTheChangesJobsAndChangesNothing() throws Exception {
        Migrations.update(migrations, "changes/expand.xml");
        execute("INSERT INTO zdm_job_slice (job_name, slice, owner, lease_until) VALUES ('file.fk.file_owner_fk', 0,"
                + " 'runner-7', now() + interval '1 hour')", "UPDATE zdm_job SET state = 'RUNNING' WHERE name = 'file.fk.file_owner_fk'");
        String jobs = query("SELECT string_agg(name || ' ' || state, ', ' ORDER BY name) FROM zdm_job");

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Migrations.rollback(migrations, "changes/expand.xml", 2));

        assertThat(thrown).isNotNull();
        assertThat(zdmCause(thrown)).as("the refusal").isNotNull();
        assertThat(zdmCause(thrown).getMessage()).contains("5-fk", "file.fk.file_owner_fk", "runner-7", "zdm-cli jobs cancel",
                "roll back again", "Nothing was changed");
        assertThat(query("SELECT string_agg(name || ' ' || state, ', ' ORDER BY name) FROM zdm_job")).isEqualTo(jobs
                .replace("file.unique.file_checksum_key PENDING", "file.unique.file_checksum_key CANCELLED")
                .replace("file.index.file_checksum_key PENDING", "file.index.file_checksum_key CANCELLED"))
                .as("6-unique rolled back first; 5-fk not").contains("file.fk.file_owner_fk RUNNING");
        assertThat(query("SELECT count(*) FROM databasechangelog")).isEqualTo("5");
    }

    /** The file table's columns and constraints, and its indexes, as PostgreSQL describes them. */
    private String schemaOfFile() {
        return query("SELECT string_agg(d, '; ' ORDER BY d) FROM (SELECT attname || ' ' || format_type(atttypid, atttypmod)"
                + " || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END d FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attnum > 0 AND NOT attisdropped UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE conrelid = 'file'::regclass UNION ALL SELECT indexdef FROM pg_indexes"
                + " WHERE tablename = 'file' UNION ALL SELECT tgname FROM pg_trigger WHERE tgrelid = 'file'::regclass"
                + " AND NOT tgisinternal) s");
    }

    @Test
    void theXmlYamlAndJsonFormsAreTheSameChange() throws Exception {
        Map<String, String> xml = Migrations.checksums("changes/expand.xml");
        assertThat(Migrations.checksums("changes/expand.yaml")).isEqualTo(xml);
        assertThat(Migrations.checksums("changes/expand.json")).isEqualTo(xml);

        String xmlSql = withoutChangelogName(Migrations.updateSql(migrations, "changes/expand.xml"), "changes/expand.xml");
        assertThat(withoutChangelogName(Migrations.updateSql(migrations, "changes/expand.yaml"), "changes/expand.yaml"))
                .isEqualTo(xmlSql);
        assertThat(withoutChangelogName(Migrations.updateSql(migrations, "changes/expand.json"), "changes/expand.json"))
                .isEqualTo(xmlSql);
        assertThat(xmlSql).contains("SET lock_timeout = '200ms';\nALTER TABLE file ADD COLUMN IF NOT EXISTS file_size_bigint bigint")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS file_checksum_key ON file (checksum)")
                .contains("NEW.file_size_bigint := (NEW.file_size::bigint)")
                .contains("BEFORE UPDATE ON file FOR EACH ROW WHEN (NEW.file_size IS DISTINCT FROM OLD.file_size OR NEW.file_size_bigint IS NULL)")
                .contains("ENABLE ALWAYS TRIGGER");
    }

    @Test
    void pinsTheChecksumsSoAReleasedChangesetNeverLooksEdited() throws Exception {
        assertThat(Migrations.checksums("changes/expand.xml")).isEqualTo(PINNED_CHECKSUMS);
    }

    /** Computed once with Liquibase 4.33.0; a change here means every released changeset would look edited. */
    static final Map<String, String> PINNED_CHECKSUMS = Map.of("1-shadow", "9:3f631af84af25ca777ae1d713d913ca9",
            "2-mirror", "9:8154287111c8a795f00507203d09b2f9", "3-index", "9:4052ee38965bdac89c61bac1843c3d58",
            "4-not-null", "9:7cdaae7e709523c76d603c5b072ec30a", "5-fk", "9:0e241faed8d1d8f1ef065b27b0e5fd72",
            "6-unique", "9:0271b169a1fe238b4219cb1bfcf7bdf3");

    @Test
    void writesTheFixInTheSyntaxOfTheChangelogThatHoldsTheChangeset() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("zdm-syntax");
        java.nio.file.Files.writeString(dir.resolve("cic.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: 1-index\n"
                + "      author: test\n      changes:\n        - createIndexConcurrently: { tableName: file, indexName: file_name_idx,"
                + " columns: name }\n");
        assertThatThrownBy(() -> Migrations.update(migrations, dir, "cic.yaml")).hasMessageContaining("runInTransaction: false")
                .hasMessageNotContaining("runInTransaction=\"false\"");
    }

    @Test
    void refusesAConcurrentIndexInATransactionalChangesetBeforeAnythingRuns() {
        assertThatThrownBy(() -> Migrations.update(migrations, "changes/cic-in-transaction.xml"))
                .hasStackTraceContaining(ValidationFailedException.class.getName())
                .hasMessageContaining("changes/cic-in-transaction.xml::2-index::test, createIndexConcurrently")
                .hasMessageContaining("runInTransaction=\"false\"");
        assertThat(queryOrNull("SELECT count(*) FROM databasechangelog")).isIn(null, "0");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size_zdm'"))
                .isEqualTo("0");
    }

    @Test
    void refusesAnUnknownXmlAttribute() {
        assertThatThrownBy(() -> Migrations.update(migrations, "changes/bogus-attribute.xml"))
                .hasStackTraceContaining("shadowColumn");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname LIKE 'file_size_%'"))
                .isEqualTo("0");
    }

    @Test
    void namesTheChangesetAndAttributeWhenTheCatalogSaysNoAndRunsNothingOfThatChange() {
        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, "changes/missing-table.yaml"));
        assertThat(zdmCause(thrown)).as("a ZdmChangeException in %s", thrown).isNotNull()
                .hasMessageContaining("changeset changes/missing-table.yaml::2-shadow-missing-table::test, addShadowColumn")
                .hasMessageContaining("tableName: table no_such_table does not exist")
                .hasMessageContaining("Nothing of this change was run");
        assertThat(ranChangeSets()).containsExactly("1-shadow-ok");
    }

    @Test
    void typeChecksTheUsingExpressionBeforeRunning() {
        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, "changes/bad-using.yaml"));
        assertThat(zdmCause(thrown)).as("a ZdmChangeException in %s", thrown).isNotNull().hasMessageContaining("createMirrorTrigger: table file, attribute using: 'file_size || 'x' ::nosuchtype' is not one scalar SQL"
                        + " expression over the table's columns: PostgreSQL refuses it (type \"nosuchtype\" does not exist");
        assertThat(ranChangeSets()).isEmpty();
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size_zdm'"))
                .as("the changeset's first change was rolled back with it").isEqualTo("0");
    }

    @Test
    void mirrorsVarcharToUuidAndCountsValuesThatDoNotConvertInsteadOfFailingTheWrite() throws Exception {
        execute("CREATE TABLE doc (id serial PRIMARY KEY, ext_id varchar(36))",
                "INSERT INTO doc (ext_id) VALUES ('6F9619FF-8B86-D011-B42D-00C04FC964FF')");
        Migrations.update(migrations, "changes/uuid.yaml");

        assertThat(query("SELECT prosrc FROM pg_proc WHERE proname = 'zdm_mirror_doc_ext_id_ext_id_zdm'")).contains("EXCEPTION");
        execute("INSERT INTO doc (ext_id) VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')",
                "INSERT INTO doc (ext_id) VALUES ('not-a-uuid')", "UPDATE doc SET ext_id = 'also bad' WHERE id = 1");

        assertThat(query("SELECT ext_id_zdm::text FROM doc WHERE ext_id LIKE 'A0EE%'")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(query("SELECT count(*) FROM doc WHERE ext_id_zdm IS NULL")).isEqualTo("2");
        assertThat(query("SELECT string_agg(row_key || ' ' || value, ', ' ORDER BY row_key) FROM zdm_mirror_reject"
                + " WHERE table_name = 'doc'")).as("each row that did not convert, by key").isEqualTo("1 also bad, 3 not-a-uuid");
    }

    @Test
    void theTargetFollowsTheSourceOnEveryInsertAndOnEveryUpdateOfARowNotMirroredYet() throws Exception {
        Migrations.update(migrations, "changes/expand.xml");
        execute("UPDATE file SET name = 'renamed' WHERE id = 2");
        assertThat(query("SELECT file_size_bigint = file_size FROM file WHERE id = 2"))
                .as("an update of another column fills a target the backfill has not reached").isEqualTo("t");
        execute("UPDATE file SET id = 100002 WHERE id = 3");
        assertThat(query("SELECT file_size_bigint = file_size FROM file WHERE id = 100002")).as("so does a key-only update")
                .isEqualTo("t");
        execute("INSERT INTO file (checksum, file_size, file_size_bigint, name) VALUES ('both', 1, 3000000000, 'x')");
        assertThat(query("SELECT file_size_bigint FROM file WHERE checksum = 'both'")).as("as a plain ALTER would compute it")
                .isEqualTo("1");
    }

    @Test
    void backgroundJobsFailNamingTheRowsWhenTheDataDoesNotAllowTheConstraintAndLeaveNothingBehind() throws Exception {
        execute("UPDATE file SET name = NULL WHERE id = 3", "UPDATE file SET owner_id = 999 WHERE id = 4",
                "UPDATE file SET checksum = 'dup' WHERE id IN (5, 6)");
        for (String changeLog : List.of("changes/notnull.yaml", "changes/fk.yaml", "changes/unique.yaml")) {
            Migrations.update(migrations, changeLog);
        }
        runJobs();

        assertThat(query("SELECT string_agg(name || ' ' || state || ': ' || coalesce(last_error, ''), E'\\n' ORDER BY name)"
                + " FROM zdm_job WHERE state <> 'PENDING'")).contains("file.fk.file_owner_fk FAILED")
                .contains("Key (owner_id)=(999) is not present in table").contains("file.index.file_checksum_key FAILED")
                .contains("Key (checksum)=(dup) is duplicated").contains("file.not-null.name.validate FAILED")
                .contains("is violated by some row").contains("e.g. rows with id 3");
        assertThat(query("SELECT string_agg(name, ', ' ORDER BY name) FROM zdm_job WHERE state = 'PENDING'"))
                .as("what depends on a failed job waits").isEqualTo("file.not-null.name, file.unique.file_checksum_key");
        assertThat(query("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'name'"))
                .isEqualTo("false");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND contype NOT IN ('p', 'n')")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_class WHERE relname = 'file_checksum_key'")).isEqualTo("0");
    }

    @Test
    void leavesNothingBehindWhenTheDataDoesNotAllowTheConstraintInline() {
        migrations = new Guard(GuardSettings.defaults().withInlineJobs(true), null).wrapForMigrations(db.dataSource());
        execute("UPDATE file SET name = NULL WHERE id = 3", "UPDATE file SET owner_id = 999 WHERE id = 4",
                "UPDATE file SET checksum = 'dup' WHERE id IN (5, 6)");

        assertThat(zdmCause(catchThrowable(() -> Migrations.update(migrations, "changes/notnull.yaml"))))
                .hasMessageContaining("column file.name has NULL values").hasMessageContaining("nothing changed");
        assertThat(zdmCause(catchThrowable(() -> Migrations.update(migrations, "changes/fk.yaml"))))
                .hasMessageContaining("rows of file (owner_id) reference no row of owner (id)");
        assertThat(zdmCause(catchThrowable(() -> Migrations.update(migrations, "changes/unique.yaml"))))
                .hasMessageContaining("file (checksum) has duplicate values");

        assertThat(query("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'name'"))
                .isEqualTo("false");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND contype NOT IN ('p', 'n')")).isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_class WHERE relname = 'file_checksum_key'")).isEqualTo("0");
        assertThat(ranChangeSets()).isEmpty();
    }

    private void runJobs() throws Exception {
        new dev.zdm.jobs.JobRunner(db.dataSource(), dev.zdm.jobs.JobSettings.defaults().unthrottled()
                .withPollInterval(java.time.Duration.ofMillis(50)), dev.zdm.jobs.JobListener.NONE, List.of())
                .drain(java.time.Duration.ofMinutes(1));
    }

    /** The ZdmChangeException somewhere in the cause chain, or {@code null}. */
    static Throwable zdmCause(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ZdmChangeException) {
                return t;
            }
        }
        return null;
    }

    private static String withoutChangelogName(String sql, String changeLog) {
        return sql.replace(changeLog, "CHANGELOG").replaceAll("(?m)^-- (Ran at|Against|Liquibase version).*$", "")
                .replaceAll("'\\d{10}'", "'DEPLOYMENT'").replaceAll("MD5SUM = '[^']*'", "")
                .replaceAll("NOW\\(\\)", "");
    }

    private List<String> ranChangeSets() {
        List<String> ids = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return ids; // no changelog table: nothing ran
        }
        return ids;
    }

    private void execute(String... sql) {
        db.execute(sql);
    }

    private String query(String sql) {
        String result = queryOrNull(sql);
        return result;
    }

    private String queryOrNull(String sql) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
