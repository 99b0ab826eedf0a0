package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The column type change on the shapes real schemas have: each test is one way the change used to lose or change data
 * silently, or break a write, and says what must happen instead.
 */
@ExtendWith(PostgresExtension.class)
class ColumnChangeRegressionTest {

    private final TestDatabase db;
    private DataSource migrations;
    @TempDir
    Path changelogs;
    private int changeSets;

    ColumnChangeRegressionTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() {
        db.execute("DROP TABLE IF EXISTS line, t, doc, ev, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change,"
                + " zdm_mirror_reject, zdm_schema, databasechangelog, databasechangeloglock CASCADE",
                "DROP FUNCTION IF EXISTS line_total() CASCADE",
                "DO $$ BEGIN CREATE ROLE zdm_auditor; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void aValueTheApplicationsOwnTriggerDerivesIsMirroredAndSoIsAReplicationApply() throws Exception {
        db.execute("CREATE TABLE line (id bigserial PRIMARY KEY, price int NOT NULL, qty int NOT NULL, total int NOT NULL)",
                "CREATE FUNCTION line_total() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.price * NEW.qty;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER line_total BEFORE INSERT OR UPDATE ON line FOR EACH ROW EXECUTE FUNCTION line_total()",
                "INSERT INTO line (price, qty, total) SELECT g, 1, 0 FROM generate_series(1, 300) g");
        expand("line", "total", "bigint", null);
        db.execute("UPDATE line SET qty = 3 WHERE id = 1");
        assertThat(query("SELECT total || ' ' || total_zdm FROM line WHERE id = 1")).as("the SET list names qty only").isEqualTo("3 3");
        try (Connection replica = db.connect(); Statement statement = replica.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.execute("UPDATE line SET total = 99 WHERE id = 2");
        }
        assertThat(query("SELECT total || ' ' || total_zdm FROM line WHERE id = 2")).as("the mirror is ENABLE ALWAYS").isEqualTo("99 99");
        runJobs();
        stage("cutoverColumnType", "line", "total");
        stage("contractColumnType", "line", "total");
        assertThat(query("SELECT count(*) FROM line WHERE total <> price * qty AND id <> 2")).isEqualTo("0");
        assertThat(query("SELECT total FROM line WHERE id = 2")).isEqualTo("99");
    }

    @Test
    void refusesATableWhoseOwnBeforeTriggerWouldFireAfterTheMirror() {
        db.execute("CREATE TABLE line (id bigserial PRIMARY KEY, price int NOT NULL, qty int NOT NULL, total int NOT NULL)",
                "CREATE FUNCTION line_total() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.price * NEW.qty;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER zz_line_total BEFORE INSERT OR UPDATE ON line FOR EACH ROW EXECUTE FUNCTION line_total()");
        Throwable refused = catchThrowable(() -> expand("line", "total", "bigint", null));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull().hasMessageContaining("zz_line_total")
                .hasMessageContaining("rename them so they sort before 'zdm_'");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'line'::regclass AND attname = 'total_zdm'"))
                .as("nothing changed").isEqualTo("0");
    }

    @Test
    void aKeyUpdateOfARowTheBackfillHasNotReachedKeepsItsValue() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g * 10 FROM generate_series(1, 2000) g");
        expand("t", "v", "bigint", null);
        db.execute("UPDATE t SET id = id + 100000 WHERE id BETWEEN 1 AND 50"); // out of every planned slice
        runJobs();
        stage("cutoverColumnType", "t", "v");
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT count(*) FROM t WHERE v IS DISTINCT FROM (CASE WHEN id > 100000 THEN id - 100000 ELSE id END) * 10"))
                .isEqualTo("0");
    }

    @Test
    void aValueThatDoesNotFitIsARejectThatBlocksTheCutoverNeverACutValue() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, code varchar(20), amount numeric(12,4))",
                "INSERT INTO t SELECT g, 'C' || g, g + 0.1234 FROM generate_series(1, 500) g",
                "UPDATE t SET code = 'ABCDEFGHIJKL' WHERE id = 7");
        expand("t", "code", "varchar(10)", null);
        runJobs();
        assertThat(query("SELECT state FROM zdm_job WHERE name = 't.code_zdm'")).isEqualTo("FAILED");
        Throwable refused = catchThrowable(() -> stage("cutoverColumnType", "t", "code"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull().hasMessageContaining("keys 7");
        assertThat(query("SELECT code_zdm IS NULL FROM t WHERE id = 7")).as("never cut to ABCDEFGHIJ").isEqualTo("t");
        db.execute("UPDATE t SET code = 'SHORT' WHERE id = 7");
        new Jobs(db.dataSource()).retry("t.code_zdm");
        runJobs();
        db.execute("INSERT INTO t VALUES (501, 'MUCH-TOO-LONG-VALUE', 1)");
        assertThat(query("SELECT row_key || ' ' || value FROM zdm_mirror_reject WHERE table_name = 't'"))
                .as("the write succeeded and its row is recorded").isEqualTo("501 MUCH-TOO-LONG-VALUE");
        Throwable stillRefused = catchThrowable(() -> stage("cutoverColumnType", "t", "code"));
        assertThat(ChangeTypesTest.zdmCause(stillRefused)).as("%s", stillRefused).isNotNull()
                .hasMessageContaining("id = 501, value 'MUCH-TOO-LONG-VALUE'");
        db.execute("DELETE FROM t WHERE id = 501");
        stage("cutoverColumnType", "t", "code");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass"
                + " AND attname = 'code'")).isEqualTo("character varying(10)");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass AND contype <> 'n'")).as("no helper left").isEqualTo("1");
    }

    @Test
    void withoutUsingAChangePostgresWouldRefuseIsRefusedAndNothingChanges() {
        db.execute("CREATE TABLE doc (id int PRIMARY KEY, ext varchar(36) NOT NULL)", "INSERT INTO doc VALUES (1, 'x')");
        Throwable refused = catchThrowable(() -> expand("doc", "ext", "uuid", null));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull()
                .hasMessageContaining("no assignment cast from character varying(36) to uuid")
                .hasMessageContaining("using: \"ext::uuid\"");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'doc'::regclass AND attname = 'ext_zdm'"))
                .as("the expand's transaction rolled back").isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'doc'::regclass")).isEqualTo("0");
    }

    @Test
    void theNewColumnGetsItsDefaultAsAPlainAlterConvertsItAndADefaultThatDoesNotConvertIsRefused() throws Exception {
        db.execute("CREATE TABLE ev (id int PRIMARY KEY, at timestamp NOT NULL DEFAULT '2026-01-01 00:00', code text DEFAULT '0')",
                "INSERT INTO ev (id) SELECT g FROM generate_series(1, 50) g", "CREATE TABLE twin (LIKE ev INCLUDING DEFAULTS)",
                "ALTER TABLE twin ALTER COLUMN at TYPE timestamptz");
        expand("ev", "at", "timestamptz", null);
        runJobs();
        stage("cutoverColumnType", "ev", "at");
        assertThat(query("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid"
                + " AND a.attnum = d.adnum WHERE d.adrelid = 'ev'::regclass AND a.attname = 'at'"))
                .isEqualTo(query("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid ="
                        + " d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'twin'::regclass AND a.attname = 'at'"));
        Throwable refused = catchThrowable(() -> expand("ev", "code", "integer", "code::integer"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull()
                .hasMessageContaining("the default '0'::text of code does not convert to integer")
                .hasMessageContaining("change or drop the default first");
        db.execute("DROP TABLE twin");
    }

    @Test
    void jobsNameTheTableSchemaQualifiedSoARunnerWithAnotherSearchPathFindsIt() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS app CASCADE", "CREATE SCHEMA app",
                "CREATE TABLE app.doc (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO app.doc SELECT g, g FROM generate_series(1, 300) g");
        java.util.Properties appPath = new java.util.Properties();
        appPath.setProperty("options", "-c search_path=public,app");
        DataSource appSession = new org.postgresql.ds.PGSimpleDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return db.connect(appPath);
            }
        };
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(appSession);
        expand("doc", "n", "bigint", null);
        assertThat(query("SELECT table_name FROM zdm_job WHERE name = 'doc.n_zdm'")).isEqualTo("app.doc");
        runJobs(); // the runner's sessions have the default search_path, without app
        assertThat(query("SELECT string_agg(DISTINCT state, ',') FROM zdm_job WHERE name LIKE 'doc.n_zdm%'")).isEqualTo("COMPLETED");
        stage("cutoverColumnType", "doc", "n");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'app.doc'::regclass"
                + " AND attname = 'n'")).isEqualTo("bigint");
        db.execute("DROP SCHEMA app CASCADE");
    }

    @Test
    void aPlaceholderKeptForANotNullColumnIsNeverAcceptedAsTheValue() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, code varchar(12) NOT NULL)",
                "INSERT INTO t SELECT g, 'ABCDEFGH' FROM generate_series(1, 100) g");
        expand("t", "code", "varchar(8)", null);
        runJobs();
        db.execute("UPDATE t SET code = 'ABCDEFGH-v2' WHERE id = 1"); // too long: the shadow keeps 'ABCDEFGH'
        Throwable refused = catchThrowable(() -> stage("cutoverColumnType", "t", "code"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull()
                .hasMessageContaining("id = 1, value 'ABCDEFGH-v2'").hasMessageContaining("value too long");
        db.execute("UPDATE t SET code = 'OK' WHERE id = 1");
        stage("cutoverColumnType", "t", "code");
        assertThat(query("SELECT code FROM t WHERE id = 1")).isEqualTo("OK");
    }

    @Test
    void aWriteThatDoesNotConvertWhileTheCutoverWaitsForItsLockIsCaughtUnderTheLock() throws Exception {
        db.execute("CREATE TABLE doc (id int PRIMARY KEY, ext varchar(36))",
                "INSERT INTO doc SELECT g, md5(g::text)::uuid::text FROM generate_series(1, 100) g");
        expand("doc", "ext", "uuid", "ext::uuid");
        runJobs();
        migrations = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(100), 30)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(100)), null).wrapForMigrations(db.dataSource());
        java.util.concurrent.atomic.AtomicReference<Throwable> cutover = new java.util.concurrent.atomic.AtomicReference<>();
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().executeQuery("SELECT count(*) FROM doc").close();
            Thread stage = new Thread(() -> cutover.set(catchThrowable(() -> stage("cutoverColumnType", "doc", "ext"))));
            stage.start();
            Thread.sleep(600); // the cutover passed its checks and is retrying its LOCK TABLE
            db.execute("INSERT INTO doc VALUES (1000, 'not-a-uuid')");
            blocker.rollback();
            stage.join(30_000);
        }
        assertThat(ChangeTypesTest.zdmCause(cutover.get())).as("%s", cutover.get()).isNotNull()
                .hasMessageContaining("while the cutover waited for its lock").hasMessageContaining("id = 1000, value 'not-a-uuid'");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'doc'::regclass"
                + " AND attname = 'ext'")).as("nothing changed").isEqualTo("character varying(36)");
    }

    @Test
    void anUpdateThatChangesOnlyTheTextOfAValueIsMirroredAndJsonCanBeChanged() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, amount numeric, doc json)",
                "INSERT INTO t SELECT g, 1.0, '{\"a\": 1}' FROM generate_series(1, 50) g");
        expand("t", "amount", "text", null);
        db.execute("UPDATE t SET amount = 1.00 WHERE id = 1"); // 1.00 = 1.0, but a plain ALTER would give '1.00'
        assertThat(query("SELECT amount_zdm FROM t WHERE id = 1")).isEqualTo("1.00");
        expand("t", "doc", "jsonb", null);
        db.execute("UPDATE t SET doc = '{\"a\": 2}' WHERE id = 2");
        assertThat(query("SELECT doc_zdm::text FROM t WHERE id = 2")).isEqualTo("{\"a\": 2}");
    }

    @Test
    void aContractThatStoppedHalfWayCannotBeRevertedAndFinishesWhenRunAgain() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL CHECK (v > 0))",
                "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g");
        expand("t", "v", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        DataSource patient = migrations;
        migrations = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(50), 1)
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)), null).wrapForMigrations(db.dataSource());
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().executeQuery("SELECT count(*) FROM t").close(); // lets DROP TRIGGER by, not DROP CONSTRAINT
            assertThat(catchThrowable(() -> stage("contractColumnType", "t", "v"))).isNotNull();
            blocker.rollback();
        }
        migrations = patient;
        Throwable refused = catchThrowable(() -> stage("revertCutoverColumnType", "t", "v"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull()
                .hasMessageContaining("the contract of t.v has begun");
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'v_zdm_old'"
                + " AND NOT attisdropped")).isEqualTo("0");
    }

    @Test
    void oddTableNamesAreQuotedEverywhere() throws Exception {
        db.execute("DROP TABLE IF EXISTS \"Odd%Name\"", "CREATE TABLE \"Odd%Name\" (id int PRIMARY KEY, \"Size\" int NOT NULL DEFAULT 1)",
                "INSERT INTO \"Odd%Name\" SELECT g, g FROM generate_series(1, 100) g");
        expand("'Odd%Name'", "Size", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "'Odd%Name'", "Size");
        stage("contractColumnType", "'Odd%Name'", "Size");
        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                + " WHERE attrelid = '\"Odd%Name\"'::regclass AND attname = 'Size'")).isEqualTo("bigint true");
        db.execute("DROP TABLE \"Odd%Name\"");
    }

    @Test
    void numericScaleDownRoundsAsAPlainAlterDoesAndPrecisionOverflowIsRefused() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, amount numeric(12,4))",
                "INSERT INTO t SELECT g, g + 0.1256 FROM generate_series(1, 100) g", "CREATE TABLE twin AS SELECT * FROM t",
                "ALTER TABLE twin ALTER COLUMN amount TYPE numeric(12,2)");
        expand("t", "amount", "numeric(12,2)", null);
        runJobs();
        stage("cutoverColumnType", "t", "amount");
        assertThat(query("SELECT count(*) FROM t JOIN twin USING (id) WHERE t.amount IS DISTINCT FROM twin.amount")).isEqualTo("0");
        db.execute("DROP TABLE twin");
    }

    @Test
    void objectsCreatedOnTheColumnAfterExpandAreCarriedOrRefusedNeverDropped() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g FROM generate_series(1, 500) g",
                "GRANT SELECT (id, v) ON t TO zdm_auditor");
        expand("t", "v", "bigint", null);
        runJobs();
        db.execute("CREATE UNIQUE INDEX t_v_key ON t (v)", "ALTER TABLE t ADD CONSTRAINT t_v_positive CHECK (v > 0)");
        Throwable refused = catchThrowable(() -> stage("cutoverColumnType", "t", "v"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull()
                .hasMessageContaining("index t_v_key on v has no copy on v_zdm")
                .hasMessageContaining("CREATE UNIQUE INDEX CONCURRENTLY t_v_key_zdm ON public.t USING btree (v_zdm)")
                .hasMessageContaining("constraint t_v_positive on v has no copy")
                .hasMessageContaining("ADD CONSTRAINT t_v_positive_zdm CHECK ((v_zdm > 0)) NOT VALID");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass"
                + " AND attname = 'v'")).as("nothing changed").isEqualTo("integer");
        db.execute("CREATE UNIQUE INDEX CONCURRENTLY t_v_key_zdm ON public.t USING btree (v_zdm)",
                "ALTER TABLE t ADD CONSTRAINT t_v_positive_zdm CHECK ((v_zdm > 0)) NOT VALID",
                "ALTER TABLE t VALIDATE CONSTRAINT t_v_positive_zdm");
        // The record does not know these copies: the cutover finds them by the name it told the user to use.
        Throwable stillRefused = catchThrowable(() -> stage("cutoverColumnType", "t", "v"));
        assertThat(stillRefused).isNull();
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT string_agg(pg_get_indexdef(indexrelid), ' | ' ORDER BY indexrelid::regclass::text) FROM pg_index"
                + " WHERE indrelid = 't'::regclass")).isEqualTo("CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id) |"
                        + " CREATE UNIQUE INDEX t_v_key ON public.t USING btree (v)");
        assertThat(query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 't_v_positive'"))
                .isEqualTo("CHECK ((v > 0))");
        assertThat(query("SELECT has_column_privilege('zdm_auditor', 't', 'v', 'SELECT')")).as("the column grant").isEqualTo("t");
        assertThat(catchThrowable(() -> db.execute("INSERT INTO t VALUES (9999, 5)"))).as("the unique index still enforces")
                .hasMessageContaining("t_v_key");
    }

    @Test
    void refusesAnExclusionConstraintUpFrontNamingItAndTheFix() {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL, EXCLUDE USING btree (v WITH =))");
        Throwable refused = catchThrowable(() -> expand("t", "v", "bigint", null));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull().hasMessageContaining("t_v_excl")
                .hasMessageContaining("add it back after the contract");
    }

    @Test
    void aSecondChangeOfTheSameColumnIsItsOwnChangeAndARerunAfterCutoverIsRefused() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g FROM generate_series(1, 300) g");
        expand("t", "v", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        Throwable rerun = catchThrowable(() -> expand("t", "v", "bigint", null));
        assertThat(ChangeTypesTest.zdmCause(rerun)).as("%s", rerun).isNotNull().hasMessageContaining("is CUTOVER but not contracted");
        stage("contractColumnType", "t", "v");
        expand("t", "v", "numeric(30,0)", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        db.execute("UPDATE t SET v = 12345678901234567890 WHERE id = 1");
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass"
                + " AND attname = 'v'")).isEqualTo("numeric(30,0)");
        assertThat(query("SELECT v FROM t WHERE id = 1")).isEqualTo("12345678901234567890");
        assertThat(query("SELECT string_agg(stage || ' ' || new_type, ', ' ORDER BY id) FROM zdm_column_change"))
                .isEqualTo("CONTRACTED bigint, CONTRACTED numeric(30,0)");
        assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = 't'::regclass")).isEqualTo("0");
        Throwable same = catchThrowable(() -> expand("t", "v", "numeric(30,0)", null));
        assertThat(ChangeTypesTest.zdmCause(same)).as("%s", same).isNotNull().hasMessageContaining("already numeric(30,0)");
    }

    @Test
    void aViewOnAViewFollowsTheColumnThroughCutoverRevertAndContract() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g FROM generate_series(1, 300) g",
                "CREATE VIEW t_v AS SELECT id, v FROM t", "CREATE VIEW t_v_big AS SELECT * FROM t_v WHERE v > 100",
                "GRANT SELECT ON t_v_big TO zdm_auditor");
        expand("t", "v", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        stage("revertCutoverColumnType", "t", "v");
        runJobs(); // the revert's proof and swap back
        stage("cutoverColumnType", "t", "v");
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't_v_big'::regclass"
                + " AND attname = 'v'")).isEqualTo("bigint");
        assertThat(query("SELECT count(*) FROM t_v_big")).isEqualTo("200");
        assertThat(query("SELECT has_table_privilege('zdm_auditor', 't_v_big', 'SELECT')")).isEqualTo("t");
    }

    @Test
    void aRevertWhoseSwapFailsLeavesNothingThatRefusesWrites() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g FROM generate_series(1, 300) g",
                "CREATE VIEW t_v AS SELECT id, v FROM t");
        expand("t", "v", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        // A failure inside the swap transaction, after the helper check was validated: no view may be created now.
        db.execute("CREATE FUNCTION no_views() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no views today';"
                + " END $$", "CREATE EVENT TRIGGER no_views ON ddl_command_start WHEN TAG IN ('CREATE VIEW') EXECUTE FUNCTION no_views()");
        try {
            stage("revertCutoverColumnType", "t", "v");
            runJobs(); // the proof succeeds; the swap back, its own job, fails
            assertThat(query("SELECT state || ': ' || last_error FROM zdm_job WHERE name = 't.v.revert'")).startsWith("FAILED")
                    .contains("the swap back of t.v failed and was rolled back").contains("no views today")
                    .contains("run the revert again");
        } finally {
            db.execute("DROP EVENT TRIGGER no_views", "DROP FUNCTION no_views()");
        }
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass AND conname LIKE '%fits'"))
                .as("the helper check that would refuse values above 2^31-1 is gone").isEqualTo("0");
        db.execute("INSERT INTO t (id, v) VALUES (1000, 3000000000)");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass"
                + " AND attname = 'v'")).as("the cutover stands").isEqualTo("bigint");
    }

    @Test
    void anUnconvertibleWriteToANotNullColumnSucceedsAfterTheHelperCheckAndBlocksTheCutover() throws Exception {
        db.execute("CREATE TABLE doc (id int PRIMARY KEY, ext varchar(36) NOT NULL)",
                "INSERT INTO doc SELECT g, md5(g::text)::uuid::text FROM generate_series(1, 200) g");
        expand("doc", "ext", "uuid", "ext::uuid");
        runJobs();
        assertThat(query("SELECT convalidated FROM pg_constraint WHERE conname = 'doc_ext_zdm_nn'")).isEqualTo("t");
        db.execute("UPDATE doc SET ext = 'not-a-uuid' WHERE id = 1", "INSERT INTO doc VALUES (201, 'also-not')");
        Throwable refused = catchThrowable(() -> stage("cutoverColumnType", "doc", "ext"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("%s", refused).isNotNull().hasMessageContaining("id = 1, value 'not-a-uuid'")
                .hasMessageContaining("id = 201, value 'also-not'");
        db.execute("UPDATE doc SET ext = md5('x')::uuid::text WHERE id IN (1, 201)");
        stage("cutoverColumnType", "doc", "ext");
        assertThat(query("SELECT count(*) FROM doc WHERE ext::text <> ext_zdm_old")).isEqualTo("0");
    }

    @Test
    void theConversionUsesTheMigrationSessionsTimeZoneWhateverTheWritersSessionSays() throws Exception {
        db.execute("CREATE TABLE ev (id int PRIMARY KEY, at timestamp, orig text)",
                "INSERT INTO ev SELECT g, timestamp '2026-03-01 12:00' + g * interval '1 hour', NULL FROM generate_series(1, 100) g",
                "UPDATE ev SET orig = at::text");
        String zone = query("SHOW TimeZone");
        expand("ev", "at", "timestamptz", null);
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            statement.execute("SET TimeZone = 'America/New_York'");
            statement.execute("INSERT INTO ev VALUES (500, '2026-07-04 09:30', '2026-07-04 09:30:00')");
            statement.execute("UPDATE ev SET at = at + interval '1 minute', orig = (at + interval '1 minute')::text WHERE id = 5");
        }
        runJobs();
        stage("cutoverColumnType", "ev", "at");
        assertThat(query("SELECT count(*) FROM ev WHERE at IS DISTINCT FROM (orig::timestamp AT TIME ZONE '" + zone + "')"))
                .as("every value converted in %s, as one ALTER in the migration's session would", zone).isEqualTo("0");
    }

    @Test
    void onPostgres18TheColumnKeepsTheNameOfItsNotNullConstraint() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO t SELECT g, g FROM generate_series(1, 50) g");
        if (Integer.parseInt(query("SHOW server_version_num")) < 180000) {
            return; // before 18 NOT NULL has no name
        }
        String before = query("SELECT conname FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'n' AND conkey = '{2}'");
        expand("t", "v", "bigint", null);
        runJobs();
        stage("cutoverColumnType", "t", "v");
        stage("contractColumnType", "t", "v");
        assertThat(query("SELECT string_agg(conname, ',') FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
                + " AND a.attnum = c.conkey[1] WHERE c.conrelid = 't'::regclass AND c.contype = 'n' AND a.attname = 'v'"))
                .isEqualTo(before);
    }

    @Test
    void aRepeatableReadWriterGetsASerializationFailureOnARowABatchWroteAfterItsSnapshot() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g");
        expand("t", "v", "bigint", null);
        try (Connection writer = db.connect(); Statement statement = writer.createStatement()) {
            writer.setAutoCommit(false);
            writer.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            statement.executeQuery("SELECT count(*) FROM t").close(); // the snapshot
            runJobs();
            Throwable thrown = catchThrowable(() -> statement.executeUpdate("UPDATE t SET v = v + 1 WHERE id = 3"));
            assertThat(thrown).isInstanceOf(SQLException.class);
            assertThat(((SQLException) thrown).getSQLState()).as("retry the transaction, as for any concurrent update")
                    .isEqualTo("40001");
            writer.rollback();
        }
    }

    private void expand(String table, String column, String type, String using) throws Exception {
        run("- expandColumnType: { tableName: " + table + ", columnName: " + column + ", newDataType: \"" + type + "\""
                + (using == null ? "" : ", using: \"" + using + "\"") + " }", true);
    }

    private void stage(String change, String table, String column) throws Exception {
        run("- " + change + ": { tableName: " + table + ", columnName: " + column + " }", false);
    }

    private void run(String change, boolean inTransaction) throws Exception {
        String file = "c" + (++changeSets) + ".yaml";
        Files.writeString(changelogs.resolve(file), "databaseChangeLog:\n  - changeSet:\n      id: c" + changeSets
                + "\n      author: test\n      runInTransaction: " + inTransaction + "\n      changes:\n        " + change + "\n");
        Migrations.update(migrations, changelogs, file);
    }

    private void runJobs() throws Exception {
        new JobRunner(db.dataSource(), JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50)),
                JobListener.NONE, List.of()).drain(Duration.ofMinutes(2));
    }

    private String query(String sql) {
        return db.query(sql);
    }
}
