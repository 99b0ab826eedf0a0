package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** int → bigint end to end, expand → jobs → cutover → contract, with writers running all the way through. */
@ExtendWith(PostgresExtension.class)
class ColumnTypeChangeTest {

    private static final String ORIGINAL_INDEXES = "CREATE INDEX file_big_idx ON public.file USING btree (checksum) WHERE"
            + " (file_size > 1000) | CREATE INDEX file_checksum_file_size_idx ON public.file USING btree (checksum, file_size)"
            + " | CREATE INDEX file_double_idx ON public.file USING btree (((file_size * 2))) | CREATE UNIQUE INDEX file_pkey"
            + " ON public.file USING btree (id)";

    private final TestDatabase db;
    private DataSource migrations;

    ColumnTypeChangeTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void schema() {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, databasechangelog,"
                        + " databasechangeloglock, zdm_mirror_rejects CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0 CONSTRAINT file_size_positive CHECK (file_size >= 0),"
                        + " touches integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, 5000) g",
                "CREATE INDEX file_checksum_file_size_idx ON file (checksum, file_size)",
                "CREATE INDEX file_big_idx ON file (checksum) WHERE file_size > 1000",
                "CREATE INDEX file_double_idx ON file ((file_size * 2))",
                "CREATE VIEW big_files AS SELECT id, file_size FROM file WHERE file_size > 1000");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void widensTheColumnWhileWritersKeepWritingAndLeavesTheOriginalDefinitionWithBigint() throws Exception {
        db.execute("ALTER TABLE file ADD CONSTRAINT file_id_size_key UNIQUE (id, file_size)",
                "DO $$ BEGIN CREATE ROLE zdm_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "GRANT SELECT ON big_files TO zdm_reader", "COMMENT ON VIEW big_files IS 'files over 1000 bytes'");
        try (Writers writers = new Writers(db)) {
            Migrations.update(migrations, "changes/expand-type.yaml");
            runJobs();
            Migrations.update(migrations, "changes/cutover-type.yaml");
            db.execute("INSERT INTO file (checksum, file_size) VALUES ('big', 3000000000)");
            Migrations.update(migrations, "changes/contract-type.yaml");
            writers.stopAndCheck();
        }

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || pg_get_expr(adbin, adrelid)"
                + " FROM pg_attribute JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("bigint true 0");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname LIKE 'file_size\\_%'"
                + " AND NOT attisdropped")).isEqualTo("0");
        assertThat(query("SELECT string_agg(indexdef, ' | ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'file'"))
                .isEqualTo(ORIGINAL_INDEXES.replace(" | CREATE UNIQUE INDEX file_pkey", " | CREATE UNIQUE INDEX file_id_size_key"
                        + " ON public.file USING btree (id, file_size) | CREATE UNIQUE INDEX file_pkey"));
        assertThat(query("SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint"
                + " WHERE conrelid = 'file'::regclass AND contype IN ('c', 'p', 'u')")).isEqualTo("file_id_size_key UNIQUE (id,"
                        + " file_size), file_pkey PRIMARY KEY (id), file_size_positive CHECK ((file_size >= 0))");
        assertThat(query("SELECT has_table_privilege('zdm_reader', 'big_files', 'SELECT')::text || ' '"
                + " || obj_description('big_files'::regclass, 'pg_class')")).as("the view keeps its grants and comment")
                .isEqualTo("true files over 1000 bytes");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'big_files'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("bigint");
        assertThat(query("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'file'::regclass AND NOT tgisinternal")).isEqualTo("0");
        assertThat(query("SELECT file_size FROM file WHERE checksum = 'big'")).isEqualTo("3000000000");
        assertThat(query("SELECT count(*) FROM big_files WHERE file_size = 3000000000")).isEqualTo("1");
    }

    @Test
    void refusesACutoverBeforeThePipelineIsReadyAndChangesNothing() throws Exception {
        Migrations.update(migrations, "changes/expand-type.yaml");
        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, "changes/cutover-type.yaml"));
        assertThat(ChangeTypesTest.zdmCause(thrown)).as("%s", thrown).isNotNull()
                .hasMessageContaining("the expand pipeline is not ready: file.file_size_zdm (PENDING)")
                .hasMessageContaining("/actuator/backfills");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("integer");
    }

    @Test
    void revertsACutoverAndCutsOverAgainButRefusesToRevertOnceAValueNoLongerFits() throws Exception {
        Migrations.update(migrations, "changes/expand-type.yaml");
        runJobs();
        Migrations.update(migrations, "changes/cutover-type.yaml");
        db.execute("UPDATE file SET file_size = file_size + 1 WHERE id = 7");
        Migrations.update(migrations, "changes/revert-type.yaml");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).as("the revert's scan and swap are background jobs").isEqualTo("bigint");
        Throwable notYet = catchThrowable(() -> Migrations.update(migrations, "changes/contract-type.yaml"));
        assertThat(ChangeTypesTest.zdmCause(notYet)).hasMessageContaining("a revert of the cutover of file.file_size is under way");
        db.execute("DELETE FROM databasechangelog WHERE id = 'contract'");
        runJobs();

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                + " WHERE attrelid = 'file'::regclass AND attname = 'file_size'")).isEqualTo("integer true");
        assertThat(query("SELECT file_size || ' ' || file_size_zdm FROM file WHERE id = 7")).isEqualTo("8 8");
        assertThat(query("SELECT string_agg(indexdef, ' | ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'file'"
                + " AND indexname NOT LIKE '%zdm'")).isEqualTo(ORIGINAL_INDEXES);

        db.execute("DELETE FROM databasechangelog WHERE id IN ('cutover', 'revert')");
        Migrations.update(migrations, "changes/cutover-type.yaml");
        db.execute("UPDATE file SET file_size = 3000000000 WHERE id = 9");
        Migrations.update(migrations, "changes/revert-type.yaml");
        runJobs();
        assertThat(query("SELECT state || ': ' || last_error FROM zdm_job WHERE name = 'file.file_size.revert'"))
                .contains("FAILED").contains("values of file.file_size do not fit the old type integer (e.g. 3000000000)");
        assertThat(query("SELECT count(*) FROM pg_constraint WHERE conrelid = 'file'::regclass AND conname LIKE '%fits%'"))
                .as("the helper check is gone").isEqualTo("0");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("bigint");
        assertThat(query("SELECT file_size_zdm_old IS NULL FROM file WHERE id = 9")).as("the reverse trigger wrote NULL")
                .isEqualTo("t");
        Migrations.update(migrations, "changes/contract-type.yaml");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname LIKE 'file_size\\_%'"
                + " AND NOT attisdropped")).isEqualTo("0");
    }

    @Test
    void anInlineRevertRefusesAtOnceNamingTheValuesThatDoNotFit() throws Exception {
        Migrations.update(migrations, "changes/expand-type.yaml");
        runJobs();
        Migrations.update(migrations, "changes/cutover-type.yaml");
        db.execute("UPDATE file SET file_size = 3000000000 WHERE id = 9");
        DataSource inline = new Guard(GuardSettings.defaults().withInlineJobs(true), null).wrapForMigrations(db.dataSource());
        Throwable thrown = catchThrowable(() -> Migrations.update(inline, "changes/revert-type.yaml"));
        assertThat(ChangeTypesTest.zdmCause(thrown)).as("%s", thrown).isNotNull()
                .hasMessageContaining("values of file.file_size do not fit the old type integer (e.g. 3000000000)")
                .hasMessageContaining("Nothing changed");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("bigint");
    }

    @Test
    void widensASerialPrimaryKeyAndItsSequence() throws Exception {
        db.execute("CREATE TABLE IF NOT EXISTS ticket (id serial PRIMARY KEY, note text)",
                "TRUNCATE ticket", "INSERT INTO ticket (note) SELECT 'n' FROM generate_series(1, 100)");
        Migrations.update(migrations, "changes/expand-pk.yaml");
        runJobs();
        Migrations.update(migrations, "changes/cutover-pk.yaml");
        db.execute("INSERT INTO ticket (note) VALUES ('after')");
        Migrations.update(migrations, "changes/contract-pk.yaml");

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attribute"
                + " JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'ticket'::regclass"
                + " AND attname = 'id'")).isEqualTo("bigint nextval('ticket_id_seq'::regclass)");
        assertThat(query("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'ticket_id_seq'::regclass"))
                .isEqualTo("bigint");
        assertThat(query("SELECT pg_get_serial_sequence('ticket', 'id')")).isEqualTo("public.ticket_id_seq");
        assertThat(query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ticket_pkey'"))
                .isEqualTo("PRIMARY KEY (id)");
        assertThat(query("SELECT id FROM ticket WHERE note = 'after'")).isEqualTo("101");
    }

    @Test
    void widensAnIdentityPrimaryKeyThatAnotherTableReferences() throws Exception {
        db.execute("DROP TABLE IF EXISTS account_event, account CASCADE",
                "CREATE TABLE account (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text)",
                "CREATE TABLE account_event (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES account (id))",
                "INSERT INTO account (name) SELECT 'a' || g FROM generate_series(1, 200) g",
                "INSERT INTO account_event (account_id) SELECT 1 + g % 200 FROM generate_series(1, 1000) g");
        Migrations.update(migrations, "changes/expand-identity.yaml");
        runJobs();
        Migrations.update(migrations, "changes/cutover-identity.yaml");
        db.execute("INSERT INTO account (name) VALUES ('after')", "INSERT INTO account_event (account_id) VALUES (201)");

        assertThat(query("SELECT format_type(atttypid, atttypmod) || ' ' || attidentity::text FROM pg_attribute"
                + " WHERE attrelid = 'account'::regclass AND attname = 'id'")).isEqualTo("bigint d");
        assertThat(query("SELECT id FROM account WHERE name = 'after'")).isEqualTo("201");
        assertThat(query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'account_event'::regclass"
                + " AND contype = 'f'")).isEqualTo("FOREIGN KEY (account_id) REFERENCES account(id)");
        assertThat(query("SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.confrelid"
                + " AND a.attnum = c.confkey[1] WHERE c.conrelid = 'account_event'::regclass AND c.contype = 'f'"))
                .as("the foreign key follows the new column").isEqualTo("id");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute a JOIN pg_constraint c ON a.attrelid ="
                + " c.confrelid AND a.attnum = c.confkey[1] WHERE c.conrelid = 'account_event'::regclass AND c.contype = 'f'"))
                .isEqualTo("bigint");
        assertThat(catchThrowable(() -> db.execute("INSERT INTO account_event (account_id) VALUES (999)"))).as("still enforced")
                .hasMessageContaining("violates foreign key constraint");
    }

    @Test
    void aForeignKeyAddedAfterExpandGetsItsCopyValidatedInTheBackgroundBeforeTheCutover() throws Exception {
        db.execute("DROP TABLE IF EXISTS account_event, account_note, account CASCADE",
                "CREATE TABLE account (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text)",
                "INSERT INTO account (name) SELECT 'a' || g FROM generate_series(1, 200) g");
        Migrations.update(migrations, "changes/expand-identity.yaml");
        runJobs();
        db.execute("CREATE TABLE account_note (id serial PRIMARY KEY, account_id int REFERENCES account (id))",
                "INSERT INTO account_note (account_id) SELECT 1 + g % 200 FROM generate_series(1, 1000) g");

        Throwable refused = catchThrowable(() -> Migrations.update(migrations, "changes/cutover-identity.yaml"));
        assertThat(ChangeTypesTest.zdmCause(refused)).as("the scan of account_note is not done at start-up")
                .hasMessageContaining("account.id_zdm.validate.account_note_account_id_fkey_zdm (PENDING)")
                .hasMessageContaining("Nothing of this change was run");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'account'::regclass"
                + " AND attname = 'id'")).isEqualTo("integer");
        runJobs();
        Migrations.update(migrations, "changes/cutover-identity.yaml");

        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'account'::regclass"
                + " AND attname = 'id'")).isEqualTo("bigint");
        assertThat(query("SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint"
                + " WHERE conrelid = 'account_note'::regclass AND contype = 'f'"))
                .isEqualTo("FOREIGN KEY (account_id) REFERENCES account(id) true");
    }

    @Test
    void turnsVarcharIntoUuidWithUsingAndRevertUsing() throws Exception {
        db.execute("DROP TABLE IF EXISTS doc CASCADE", "CREATE TABLE doc (id serial PRIMARY KEY, ext_id varchar(36) NOT NULL)",
                "INSERT INTO doc (ext_id) SELECT md5(g::text)::uuid::text FROM generate_series(1, 500) g");
        Throwable notReady = catchThrowable(() -> Migrations.update(migrations, "changes/uuid-type.yaml"));
        assertThat(ChangeTypesTest.zdmCause(notReady)).hasMessageContaining("not ready"); // expand ran, cutover waits
        runJobs();
        Migrations.update(migrations, "changes/uuid-type.yaml");
        db.execute("INSERT INTO doc (ext_id) VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')");

        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'doc'::regclass"
                + " AND attname = 'ext_id'")).isEqualTo("uuid");
        assertThat(query("SELECT ext_id_zdm_old FROM doc WHERE ext_id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"))
                .as("the reverse trigger keeps the old column").isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(query("SELECT count(*) FROM doc WHERE ext_id::text IS DISTINCT FROM ext_id_zdm_old")).isEqualTo("0");
    }

    @Test
    void aCutoverThatCannotGetItsLockFailsCleanlyAndSucceedsOnceItCan() throws Exception {
        Migrations.update(migrations, "changes/expand-type.yaml");
        runJobs();
        DataSource impatient = new Guard(GuardSettings.defaults().withLockTimeout(Duration.ofMillis(100), 2)
                .withCutoverLockTimeout(Duration.ofMillis(100)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(100)), null)
                .wrapForMigrations(db.dataSource());
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().executeQuery("SELECT count(*) FROM file").close();
            Throwable thrown = catchThrowable(() -> Migrations.update(impatient, "changes/cutover-type.yaml"));
            assertThat(thrown).hasStackTraceContaining("zdm gave up taking the locks of the cutover of file.file_size after 3"
                    + " attempt(s) of 100 ms");
            blocker.rollback();
        }
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).as("never a half swap").isEqualTo("integer");
        assertThat(query("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size_zdm'"))
                .isEqualTo("1");
        assertThat(query("SELECT stage FROM zdm_column_change")).isEqualTo("EXPANDED");
        Migrations.update(migrations, "changes/cutover-type.yaml");
        assertThat(query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                + " AND attname = 'file_size'")).isEqualTo("bigint");
    }

    private void runJobs() throws Exception {
        new JobRunner(db.dataSource(), JobSettings.defaults().unthrottled().withPollInterval(Duration.ofMillis(50)),
                JobListener.NONE, List.of()).drain(Duration.ofMinutes(2));
    }

    private String query(String sql) {
        return db.query(sql);
    }

    /** Writers keeping an invariant (file_size - touches never changes) with prepared statements in transactions. */
    static final class Writers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong writes = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<Thread> threads = new ArrayList<>();
        private final TestDatabase db;

        Writers(TestDatabase db) {
            this.db = db;
            for (int i = 0; i < 3; i++) {
                Thread thread = new Thread(this::write, "writer-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void write() {
            Properties props = new Properties();
            props.setProperty("autosave", "conservative");
            try (Connection connection = db.connect(props);
                    PreparedStatement bump = connection.prepareStatement(
                            "UPDATE file SET file_size = file_size + 1, touches = touches + 1 WHERE id = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO file (checksum) VALUES (?)");
                    PreparedStatement other = connection.prepareStatement("UPDATE file SET checksum = checksum WHERE id = ?")) {
                connection.setAutoCommit(false);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    bump.setLong(1, 1 + random.nextInt(5000));
                    bump.executeUpdate();
                    other.setLong(1, 1 + random.nextInt(5000)); // a write that does not touch the column at all
                    other.executeUpdate();
                    insert.setString(1, "w" + random.nextInt(1_000_000));
                    insert.executeUpdate();
                    connection.commit();
                    writes.addAndGet(2);
                }
            } catch (SQLException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        void stopAndCheck() throws Exception {
            close();
            assertThat(failure.get()).as("no writer saw an error").isNull();
            assertThat(writes.get()).isGreaterThan(100);
            try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM file WHERE checksum <> 'big' AND"
                            + " file_size - touches <> CASE WHEN id <= 5000 THEN id ELSE 0 END")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows whose invariant broke").isZero();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }
}
