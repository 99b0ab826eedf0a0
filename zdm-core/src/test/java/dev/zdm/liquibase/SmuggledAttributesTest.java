package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.sql.Fragment;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attribute of every zdm change type that zdm writes into SQL refuses a smuggled second statement, comment,
 * dollar quote, closing parenthesis or data-modifying subquery: Liquibase's validation fails naming the changeset,
 * the table and the attribute, before anything runs, so the bystander table {@code victim} keeps its rows and the
 * catalog is exactly as it was (no shadow column, trigger, index, constraint or job).
 */
@ExtendWith(PostgresExtension.class)
class SmuggledAttributesTest {

    private final TestDatabase db;
    private DataSource migrations;

    @TempDir
    Path dir;

    SmuggledAttributesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        AttributeFixture.tables(db);
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    /** A change with working values for its attributes; {@code attacked} are those zdm writes into SQL, by kind. */
    record ChangeSpec(String name, boolean inTransaction, Map<String, String> values, Map<String, Fragment> attacked) {
    }

    static List<ChangeSpec> changes() {
        List<ChangeSpec> changes = new ArrayList<>();
        changes.add(spec("addShadowColumn", true, "tableName", "file", Fragment.IDENTIFIER, "columnName", "file_size",
                Fragment.IDENTIFIER, "newDataType", "bigint", Fragment.TYPE_NAME, "shadowColumnName", "file_size_big2",
                Fragment.IDENTIFIER));
        for (String mirror : List.of("createMirrorTrigger", "dropMirrorTrigger")) {
            changes.add(spec(mirror, true, "tableName", "file", Fragment.IDENTIFIER, "sourceColumnName", "file_size",
                    Fragment.IDENTIFIER, "targetColumnName", "file_size_big", Fragment.IDENTIFIER, "using", "file_size::bigint",
                    Fragment.EXPRESSION));
        }
        changes.add(spec("createIndexConcurrently", false, "tableName", "file", Fragment.IDENTIFIER, "indexName",
                "file_size_idx", Fragment.IDENTIFIER, "columns", "file_size", Fragment.INDEX_COLUMNS, "where", "file_size > 0",
                Fragment.INDEX_PREDICATE, "method", "btree", Fragment.INDEX_METHOD));
        changes.add(spec("dropIndexConcurrently", false, "tableName", "file", Fragment.IDENTIFIER, "indexName", "file_size_idx",
                Fragment.IDENTIFIER));
        changes.add(spec("addNotNullConstraintOnline", false, "tableName", "file", Fragment.IDENTIFIER, "columnName", "name",
                Fragment.IDENTIFIER));
        changes.add(spec("addForeignKeyOnline", false, "baseTableName", "file", Fragment.IDENTIFIER, "baseColumnNames", "owner_id",
                Fragment.COLUMN_LIST, "referencedTableName", "owner", Fragment.IDENTIFIER, "referencedColumnNames", "id",
                Fragment.COLUMN_LIST, "constraintName", "file_owner_fk", Fragment.IDENTIFIER));
        changes.add(spec("addUniqueConstraintOnline", false, "tableName", "file", Fragment.IDENTIFIER, "columnNames", "checksum",
                Fragment.COLUMN_LIST, "constraintName", "file_checksum_key", Fragment.IDENTIFIER));
        changes.add(spec("backfillColumn", true, "tableName", "file", Fragment.IDENTIFIER, "targetColumnName", "file_size_big",
                Fragment.IDENTIFIER, "using", "file_size::bigint", Fragment.EXPRESSION, "where", "file_size > 0",
                Fragment.PREDICATE));
        changes.add(spec("expandColumnType", true, "tableName", "file", Fragment.IDENTIFIER, "columnName", "file_size",
                Fragment.IDENTIFIER, "newDataType", "bigint", Fragment.TYPE_NAME, "using", "file_size::bigint",
                Fragment.EXPRESSION, "revertUsing", "file_size_zdm::integer", Fragment.EXPRESSION, "shadowColumnName",
                "file_size_zdm", Fragment.IDENTIFIER));
        for (String stage : List.of("cutoverColumnType", "revertCutoverColumnType", "contractColumnType")) {
            changes.add(spec(stage, false, "tableName", "file", Fragment.IDENTIFIER, "columnName", "file_size",
                    Fragment.IDENTIFIER, "shadowColumnName", "file_size_zdm", Fragment.IDENTIFIER));
        }
        return changes;
    }

    /** What is smuggled into a value of each kind: a second statement, comments, a dollar quote, a paren, a write. */
    static List<String> payloads(Fragment kind, String value) {
        switch (kind) {
            case IDENTIFIER:
            case COLUMN_LIST:
                return List.of(value + "; DROP TABLE victim", value + " -- x", value + "/* x */");
            case INDEX_METHOD:
                return List.of(value + "; DROP TABLE victim", value + " -- x", value + " (file_size); DROP TABLE victim; --");
            case TYPE_NAME:
                return List.of(value + "; DROP TABLE victim", value + " --", value + " /* ; DROP TABLE victim */",
                        "$$" + value + "$$", value + ") ; DROP TABLE victim; SELECT (1", value + " DEFAULT 0",
                        value + " GENERATED ALWAYS AS (id * 2) STORED");
            case INDEX_COLUMNS:
                return List.of(value + "; DROP TABLE victim", value + ") ; DROP TABLE victim; --", value + " -- x",
                        value + " /* */", "$$" + value + "$$", value + ", (WITH d AS (DELETE FROM victim RETURNING 1) SELECT 1)");
            default: // expressions and predicates
                return List.of(value + "; DROP TABLE victim", value + " -- x", value + " /* ; DROP TABLE victim */",
                        "$$1$$", value + ") ; DROP TABLE victim; SELECT (1", value + " $zdm$; DROP TABLE victim; $zdm$",
                        "(WITH d AS (DELETE FROM victim RETURNING 1) SELECT 1)" + (kind == Fragment.EXPRESSION ? "" : " > 0"));
        }
    }

    static Stream<Arguments> smuggled() {
        List<Arguments> cases = new ArrayList<>();
        for (ChangeSpec change : changes()) {
            change.attacked().forEach((attribute, kind) -> {
                for (String payload : payloads(kind, change.values().get(attribute))) {
                    cases.add(Arguments.of(change.name(), attribute, payload, change));
                }
            });
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("smuggled")
    void refusesSqlSmuggledIntoAnAttributeBeforeAnythingRunsNamingChangesetTableAndAttribute(String changeName,
            String attribute, String payload, ChangeSpec change) throws Exception {
        String before = AttributeFixture.catalog(db);
        Map<String, String> values = new LinkedHashMap<>(change.values());
        values.put(attribute, payload);
        Files.writeString(dir.resolve("smuggle.yaml"), changelog(changeName, change.inTransaction(), values));

        Throwable thrown = catchThrowable(() -> Migrations.update(migrations, dir, "smuggle.yaml"));

        assertThat(thrown).as("refused").isNotNull();
        String table = values.containsKey("tableName") ? values.get("tableName") : values.get("baseTableName");
        assertThat(thrown).hasStackTraceContaining("smuggle.yaml::smuggle::test, " + changeName)
                .hasStackTraceContaining("table " + table + ", attribute " + attribute + ": '" + payload + "' is not")
                .hasStackTraceContaining("Write ");
        assertThat(AttributeFixture.victimRows(db)).as("victim keeps its rows").isEqualTo(3);
        assertThat(AttributeFixture.catalog(db)).as("nothing else changed").isEqualTo(before);
    }

    static String changelog(String change, boolean inTransaction, Map<String, String> values) {
        StringBuilder yaml = new StringBuilder("databaseChangeLog:\n  - changeSet:\n      id: smuggle\n      author: test\n"
                + "      runInTransaction: " + inTransaction + "\n      changes:\n        - " + change + ":\n");
        values.forEach((name, value) -> yaml.append("            ").append(name).append(": \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        return yaml.toString();
    }

    private static ChangeSpec spec(String name, boolean inTransaction, Object... triples) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Fragment> attacked = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            values.put((String) triples[i], (String) triples[i + 1]);
            attacked.put((String) triples[i], (Fragment) triples[i + 2]);
        }
        return new ChangeSpec(name, inTransaction, values, attacked);
    }

    /** The tables the attribute tests run on, and what they compare. */
    static final class AttributeFixture {

        private AttributeFixture() {
        }

        static void tables(TestDatabase db) {
            db.execute("DROP TABLE IF EXISTS file, owner, victim, legit, databasechangelog, databasechangeloglock, zdm_job_reject,"
                    + " zdm_job_slice, zdm_job, zdm_column_change, zdm_mirror_reject CASCADE",
                    "DROP FUNCTION IF EXISTS victim_rows() CASCADE",
                    "CREATE TABLE victim (id int PRIMARY KEY)", "INSERT INTO victim VALUES (1), (2), (3)",
                    "CREATE TABLE owner (id bigint PRIMARY KEY)", "INSERT INTO owner SELECT g FROM generate_series(1, 10) g",
                    "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL"
                            + " DEFAULT 0, name text, owner_id bigint, file_size_big bigint)",
                    "INSERT INTO file (checksum, file_size, name, owner_id) SELECT md5(g::text), g, 'n' || g, 1 + g % 10"
                            + " FROM generate_series(1, 200) g",
                    // A function PostgreSQL knows to be volatile and zdm's lexer does not: it writes.
                    "CREATE FUNCTION victim_rows() RETURNS bigint LANGUAGE sql VOLATILE AS"
                            + " 'DELETE FROM victim WHERE id = 1; SELECT count(*) FROM victim'");
        }

        static long victimRows(TestDatabase db) throws SQLException {
            return Long.parseLong(query(db, "SELECT CASE WHEN to_regclass('victim') IS NULL THEN '-1' ELSE"
                    + " (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM victim', false, true, '')))[1]::text"
                    + " END"));
        }

        /** Every relation, column, trigger, constraint and function of the schema, and zdm's job rows. */
        static String catalog(TestDatabase db) throws SQLException {
            return query(db, "SELECT string_agg(x, E'\\n' ORDER BY x) FROM ("
                    + " SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(i.indisvalid::text, '') FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                    + " WHERE n.nspname = 'public' AND c.relname NOT LIKE 'databasechangelog%'"
                    + " UNION ALL SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)"
                    + " || ' ' || a.attnotnull::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped"
                    + " AND c.relname NOT LIKE 'databasechangelog%'"
                    + " UNION ALL SELECT 'trg ' || tgname FROM pg_trigger WHERE NOT tgisinternal"
                    + " UNION ALL SELECT 'con ' || conname || ' ' || convalidated::text FROM pg_constraint c JOIN pg_namespace n"
                    + " ON n.oid = c.connamespace WHERE n.nspname = 'public' AND conname NOT LIKE 'databasechangelog%'"
                    + " UNION ALL SELECT 'fn ' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = 'public'"
                    + " UNION ALL SELECT 'jobs ' || CASE WHEN to_regclass('zdm_job') IS NULL THEN 'none' ELSE"
                    + " (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM zdm_job', false, true, '')))[1]::text END"
                    + " UNION ALL SELECT 'ran ' || CASE WHEN to_regclass('databasechangelog') IS NULL THEN '0' ELSE"
                    + " (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM databasechangelog', false, true, '')))[1]::text"
                    + " END) f(x)");
        }

        static String query(TestDatabase db, String sql) throws SQLException {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
