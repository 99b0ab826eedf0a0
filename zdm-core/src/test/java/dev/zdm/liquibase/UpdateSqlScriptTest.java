package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.sql.SqlLexer;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code update-sql} of zdm's change types is a script a DBA can paste into psql: it runs as it is, leaves the session's
 * settings as it found them, gives the schema that {@code update} gives, and says what it cannot do and what to run then.
 */
@ExtendWith(PostgresExtension.class)
class UpdateSqlScriptTest {

    private static final String[] TABLES = {
        "CREATE TABLE owner (id bigint PRIMARY KEY)",
        "CREATE TABLE file (id bigint PRIMARY KEY, file_size int NOT NULL, checksum text, name text, owner_id bigint)",
        "INSERT INTO owner SELECT g FROM generate_series(1, 10) g",
        "INSERT INTO file SELECT g, g, 'c' || g, 'n' || g, 1 + g % 10 FROM generate_series(1, 1000) g" };

    @Test
    void theScriptRunStatementByStatementGivesTheSchemaThatUpdateGivesAndResetsTheSessionsSettings(TestDatabase scripted)
            throws Exception {
        scripted.execute(TABLES);
        String script = Migrations.updateSql(scripted.dataSource(), "changes/expand.xml");
        assertThat(script).doesNotContain("WARNING").contains("RESET lock_timeout;").contains("RESET statement_timeout;");

        List<String> settingsAfter = new ArrayList<>();
        try (Connection psql = scripted.connect(); Statement statement = psql.createStatement()) {
            String before = show(statement);
            for (String sql : SqlLexer.splitStatements(script)) {
                if (!sql.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                    statement.execute(sql);
                }
            }
            settingsAfter.add(before);
            settingsAfter.add(show(statement));
        }
        assertThat(settingsAfter.get(1)).as("lock_timeout, statement_timeout after the script").isEqualTo(settingsAfter.get(0));

        try (TestDatabase updated = TestPostgres.shared().createDatabase("update-sql-oracle")) {
            updated.execute(TABLES);
            Migrations.update(updated.dataSource(), "changes/expand.xml");
            new dev.zdm.jobs.JobRunner(updated.dataSource(), dev.zdm.jobs.JobSettings.defaults().unthrottled().withPollInterval(java.time.Duration.ofMillis(50)), dev.zdm.jobs.JobListener.NONE,
                    List.of()).drain(java.time.Duration.ofMinutes(2)); // update leaves the slow work to the jobs; the script does it
            assertThat(updated.query("SELECT count(*) FILTER (WHERE state <> 'COMPLETED') || '/' || count(*) FROM zdm_job"))
                    .isEqualTo("0/6");
            assertThat(schema(scripted)).isEqualTo(schema(updated)).isNotEmpty();
            assertThat(scripted.query("SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog"))
                    .isEqualTo(updated.query("SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog"));
        }
        scripted.execute("UPDATE file SET file_size = 42 WHERE id = 1");
        assertThat(scripted.query("SELECT file_size_bigint FROM file WHERE id = 1")).as("the script's mirror trigger works")
                .isEqualTo("42");
    }

    @Test
    void aStepTheScriptCannotDoSaysSoAndNamesTheCommandsThatRunItAndItsJobs() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase("update-sql-expand-type")) {
            aStepTheScriptCannotDoSaysSo(db);
        }
    }

    private static void aStepTheScriptCannotDoSaysSo(TestDatabase db) throws Exception {
        db.execute(TABLES);
        String script = Migrations.updateSql(db.dataSource(), "changes/expand-type.yaml");
        assertThat(script).doesNotContain("WARNING")
                .contains("ALTER TABLE file ADD COLUMN IF NOT EXISTS file_size_zdm bigint;")
                .contains("registers the jobs file.file_size_zdm")
                .contains("-- zdm: this script cannot do the step above")
                .contains("'liquibase update' (zdm-liquibase.jar in Liquibase's lib/)")
                .contains("zdm-cli jobs run --url JDBC_URL --until-done")
                .contains("RESET lock_timeout;");
        assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'file'"
                + " AND column_name = 'file_size_zdm'")).as("update-sql changes nothing").isEqualTo("0");
    }

    private static String show(Statement statement) throws Exception {
        try (ResultSet rs = statement.executeQuery("SELECT current_setting('lock_timeout') || ',' || current_setting('statement_timeout')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The user tables' columns, constraints, indexes and triggers, as text to compare. */
    private static List<String> schema(TestDatabase db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
                          FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('file', 'owner')
                        UNION ALL
                        SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) || ' valid=' || convalidated
                          FROM pg_constraint WHERE conrelid IN ('file'::regclass, 'owner'::regclass)
                        UNION ALL
                        SELECT 'index ' || i.indexrelid::regclass || ' ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid
                          FROM pg_index i WHERE i.indrelid IN ('file'::regclass, 'owner'::regclass)
                        UNION ALL
                        SELECT 'trigger ' || tgname || ' ' || tgenabled::text || ' ' || pg_get_triggerdef(oid)
                          FROM pg_trigger WHERE tgrelid = 'file'::regclass AND NOT tgisinternal
                        ORDER BY 1""")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
