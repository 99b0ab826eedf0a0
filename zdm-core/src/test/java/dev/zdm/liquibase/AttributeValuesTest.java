package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.liquibase.SmuggledAttributesTest.AttributeFixture;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribute values as users write them still work, and what only PostgreSQL can judge (a type it knows, an immutable
 * function, a boolean predicate, an index method) is asked of it before anything runs.
 */
@ExtendWith(PostgresExtension.class)
class AttributeValuesTest {

    private final TestDatabase db;
    private DataSource migrations;

    @TempDir
    Path dir;

    AttributeValuesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        AttributeFixture.tables(db);
        db.execute("DROP DOMAIN IF EXISTS amount", "CREATE DOMAIN amount AS numeric(12,2)",
                "CREATE TABLE legit (id int PRIMARY KEY, n int)", "INSERT INTO legit VALUES (1, 1)");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void acceptsTypeNamesAsUsersWriteThem() throws Exception {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("numeric(12,2)", "numeric(12,2)");
        types.put("timestamp(3) with time zone", "timestamp(3) with time zone");
        types.put("character varying(36)", "character varying(36)");
        types.put("int[]", "integer[]");
        types.put("\"char\"", "\"char\"");
        types.put("pg_catalog.int8", "bigint");
        types.put("public.amount", "amount");
        types.put("interval day to second(3)", "interval day to second(3)");
        StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
        int i = 0;
        for (String type : types.keySet()) {
            yaml.append(changeSet("t" + i, true, "addShadowColumn", Map.of("tableName", "legit", "columnName", "n",
                    "newDataType", type, "shadowColumnName", "c" + i)));
            i++;
        }
        run(yaml.toString());

        i = 0;
        for (String expected : types.values()) {
            assertThat(AttributeFixture.query(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid ="
                    + " 'legit'::regclass AND attname = 'c" + i + "'")).as("c%s", i).isEqualTo(expected);
            i++;
        }
    }

    @Test
    void acceptsAUsingWithCaseAndAFunctionCallAndAPartialIndexPredicate() throws Exception {
        run("databaseChangeLog:\n"
                + changeSet("1", true, "expandColumnType", Map.of("tableName", "file", "columnName", "file_size",
                        "newDataType", "bigint", "using", "CASE WHEN file_size < 0 THEN 0 ELSE abs(file_size)::bigint END",
                        "revertUsing", "CASE WHEN file_size_zdm > 2147483647 THEN NULL ELSE file_size_zdm::integer END"))
                + changeSet("2", false, "createIndexConcurrently", Map.of("tableName", "file", "indexName", "file_named_idx",
                        "columns", "lower(name), file_size DESC", "where", "name IS NOT NULL AND file_size > 0"))
                + changeSet("3", true, "backfillColumn", Map.of("tableName", "file", "targetColumnName", "file_size_big",
                        "using", "coalesce(length(name), 0)::bigint", "where", "name IS NOT NULL AND file_size > 0")));
        new dev.zdm.jobs.JobRunner(db.dataSource(), dev.zdm.jobs.JobSettings.defaults().unthrottled()
                .withPollInterval(java.time.Duration.ofMillis(50)), dev.zdm.jobs.JobListener.NONE, java.util.List.of())
                .drain(java.time.Duration.ofMinutes(1)); // the index is built by its background job

        assertThat(AttributeFixture.query(db, "SELECT pg_get_indexdef(indexrelid) || ' ' || indisvalid FROM pg_index WHERE"
                + " indexrelid = 'file_named_idx'::regclass")).isEqualTo("CREATE INDEX file_named_idx ON public.file USING btree"
                        + " (lower(name), file_size DESC) WHERE ((name IS NOT NULL) AND (file_size > 0)) true");
        assertThat(AttributeFixture.query(db, "SELECT using_expr || ' | ' || where_expr FROM zdm_job WHERE name ="
                + " 'file.file_size_big'")).isEqualTo("coalesce(length(name), 0)::bigint | name IS NOT NULL AND file_size > 0");
        assertThat(AttributeFixture.query(db, "SELECT revert_using FROM zdm_column_change WHERE column_name = 'file_size'"))
                .isEqualTo("CASE WHEN file_size_zdm > 2147483647 THEN NULL ELSE file_size_zdm::integer END");
    }

    @Test
    void refusesAFunctionThatIsNotImmutableInAnIndexPredicateAsPostgreSQLWouldBeforeBuildingAnything() throws Exception {
        assertRefused(changeSet("1", false, "createIndexConcurrently", Map.of("tableName", "file", "indexName", "file_v_idx",
                "columns", "file_size", "where", "victim_rows() > 0")), "attribute where: 'victim_rows() > 0'",
                "must be marked IMMUTABLE");
    }

    @Test
    void refusesAnIndexExpressionThatIsNotImmutable() throws Exception {
        assertRefused(changeSet("1", false, "createIndexConcurrently", Map.of("tableName", "file", "indexName", "file_v_idx",
                "columns", "(victim_rows())")), "attribute columns: '(victim_rows())'", "must be marked IMMUTABLE");
    }

    @Test
    void refusesAnIndexMethodTheServerDoesNotHaveListingTheOnesItHas() throws Exception {
        assertRefused(changeSet("1", false, "createIndexConcurrently", Map.of("tableName", "file", "indexName", "file_v_idx",
                "columns", "file_size", "method", "nosuch")), "attribute method: 'nosuch'", "has no such index method (it has",
                "btree");
    }

    @Test
    void refusesATypeOrATypeModifierThatPostgreSQLRejects() throws Exception {
        assertRefused(changeSet("1", true, "addShadowColumn", Map.of("tableName", "file", "columnName", "file_size",
                "newDataType", "nosuchtype")), "attribute newDataType: 'nosuchtype'", "knows no such type");
        assertRefused(changeSet("1", true, "addShadowColumn", Map.of("tableName", "file", "columnName", "file_size",
                "newDataType", "varchar(0)")), "attribute newDataType: 'varchar(0)'", "length for type varchar must be at"
                        + " least 1");
    }

    @Test
    void refusesARevertUsingThatDoesNotConvertBackToTheOldType() throws Exception {
        assertRefused(changeSet("1", true, "expandColumnType", Map.of("tableName", "file", "columnName", "file_size",
                "newDataType", "bigint", "revertUsing", "file_size_zdm::nosuchtype")),
                "attribute revertUsing: 'file_size_zdm::nosuchtype'", "type \"nosuchtype\" does not exist");
    }

    @Test
    void refusesABackfillWhereThatIsNotBoolean() throws Exception {
        assertRefused(changeSet("1", true, "backfillColumn", Map.of("tableName", "file", "targetColumnName", "file_size_big",
                "using", "file_size::bigint", "where", "file_size + 1")), "attribute where: 'file_size + 1'",
                "argument of WHERE must be type boolean");
    }

    private void assertRefused(String changeSet, String... messages) throws Exception {
        String before = AttributeFixture.catalog(db);
        Throwable thrown = catchThrowable(() -> run("databaseChangeLog:\n" + changeSet));
        Throwable zdm = ChangeTypesTest.zdmCause(thrown);
        assertThat(zdm).as("a ZdmChangeException in %s", thrown).isNotNull();
        assertThat(zdm.getMessage()).contains("attributes.yaml::1::test").contains("table file, ").contains(messages)
                .contains("Nothing of this change was run");
        assertThat(AttributeFixture.victimRows(db)).as("victim keeps its rows").isEqualTo(3);
        assertThat(AttributeFixture.catalog(db)).as("nothing else changed").isEqualTo(before);
    }

    private void run(String yaml) throws Exception {
        Files.writeString(dir.resolve("attributes.yaml"), yaml);
        Migrations.update(migrations, dir, "attributes.yaml");
    }

    private static String changeSet(String id, boolean inTransaction, String change, Map<String, String> values) {
        return SmuggledAttributesTest.changelog(change, inTransaction, new java.util.TreeMap<>(values))
                .replace("databaseChangeLog:\n", "").replace("id: smuggle", "id: " + id);
    }
}
