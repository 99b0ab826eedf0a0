package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lexical rules of attributes zdm writes into its SQL: each kind accepts what users write and refuses smuggled SQL. */
class SqlFragmentsTest {

    static Stream<Arguments> legitimate() {
        return Stream.of(
                Arguments.of(Fragment.TYPE_NAME, List.of("bigint", "numeric(12,2)", "numeric(12, 2)", "timestamp(3) with time zone",
                        "character varying(36)", "int[]", "integer[][]", "int ARRAY[4]", "\"char\"", "pg_catalog.int8",
                        "public.\"My Type\"", "double precision", "interval day to second(3)", "bit varying(5)",
                        "geometry(Point, 4326)", "TIMESTAMP WITHOUT TIME ZONE")),
                Arguments.of(Fragment.EXPRESSION, List.of("file_size::bigint", "CASE WHEN file_size < 0 THEN 0 ELSE abs(file_size) END",
                        "lower(id)::uuid", "coalesce(name, 'a;b -- not a comment /* nor this */')", "x::timestamp with time zone",
                        "data ? 'key'", "(SELECT code FROM lookup l WHERE l.id = owner_id)", "substring(name from 2 for 3)",
                        "'it''s'", "E'line\\nnext'", "\"Odd Column\" + 1", "amount AT TIME ZONE 'UTC'")),
                Arguments.of(Fragment.PREDICATE, List.of("file_size > 0", "name IS NOT NULL AND file_size > 0",
                        "file_size IS DISTINCT FROM 0", "id IN (SELECT id FROM other)", "NOT (a OR b)")),
                Arguments.of(Fragment.INDEX_PREDICATE, List.of("name IS NOT NULL AND file_size > 0", "deleted_at IS NULL",
                        "status = 'active'", "lower(name) <> ''")),
                Arguments.of(Fragment.INDEX_COLUMNS, List.of("checksum", "checksum, file_size", "lower(name) DESC NULLS LAST",
                        "name text_pattern_ops", "(a + b), c COLLATE \"C\"")),
                Arguments.of(Fragment.COLUMN_LIST, List.of("owner_id", "owner_id, tenant_id", " a ,b ", "My Column")),
                Arguments.of(Fragment.INDEX_METHOD, List.of("btree", "gin", "brin", "hnsw")),
                Arguments.of(Fragment.IDENTIFIER, List.of("file", "file_size_zdm", "My Table", "ünïcödé")),
                Arguments.of(Fragment.TABLE, List.of("file", "public.file", "\"Sales\".\"Order\"", "My Table")),
                Arguments.of(Fragment.CONSTRAINT_DEFINITION, List.of("CHECK ((file_size >= 0))",
                        "FOREIGN KEY (owner_id) REFERENCES owner(id) ON DELETE CASCADE")),
                Arguments.of(Fragment.INDEX_STATEMENT, List.of("CREATE INDEX CONCURRENTLY i ON file (checksum)",
                        "CREATE UNIQUE INDEX CONCURRENTLY i ON file USING btree (checksum) WHERE (file_size > 0)")));
    }

    @ParameterizedTest(name = "{0} accepts what users write")
    @MethodSource("legitimate")
    void acceptsWhatUsersWrite(Fragment kind, List<String> values) {
        for (String value : values) {
            assertThat(SqlFragments.check("attr", value, kind)).as("%s as %s", value, kind).isEmpty();
        }
    }

    static Stream<Arguments> smuggled() {
        return Stream.of(
                Arguments.of(Fragment.TYPE_NAME, List.of("bigint; DROP TABLE victim", "bigint -- ", "bigint /* x */",
                        "bigint DEFAULT 0", "bigint NOT NULL", "bigint GENERATED ALWAYS AS (id * 2) STORED",
                        "bigint REFERENCES victim", "text COLLATE \"C\"", "numeric(12,2)) ; DROP TABLE victim; --",
                        "int[1; DROP TABLE victim]", "$$bigint$$", "varchar('x')", "")),
                Arguments.of(Fragment.EXPRESSION, List.of("1; DROP TABLE victim", "file_size -- hidden", "file_size /* x */",
                        "$$1$$", "$zdm$ || 1", "x || '$zdm$'", "1) ; DROP TABLE victim; SELECT (1",
                        "(WITH d AS (DELETE FROM victim RETURNING 1) SELECT 1)", "(WITH d AS (UPDATE victim SET id = 0"
                                + " RETURNING 1) SELECT 1)", "(WITH d AS (INSERT INTO victim VALUES (1) RETURNING 1) SELECT 1)",
                        "1 FROM victim", "a, b", "'open", "\"open", "(1", "1)", "SELECT 1", "$1", "1\u0000")),
                Arguments.of(Fragment.INDEX_PREDICATE, List.of("file_size > 0; DROP TABLE victim", "file_size > 0 --",
                        "created > now()", "random() > 0.5", "id IN (SELECT id FROM victim)", "x > 0) WHERE (true",
                        "created < current_timestamp")),
                Arguments.of(Fragment.INDEX_COLUMNS, List.of("checksum); DROP TABLE victim; --", "checksum, ", "checksum,,name",
                        "(random())", "checksum /* */")),
                Arguments.of(Fragment.COLUMN_LIST, List.of("owner_id; DROP TABLE victim", "a,,b", "a, -- x", "")),
                Arguments.of(Fragment.INDEX_METHOD, List.of("btree; DROP TABLE victim", "btree (x)", "gin -- ")),
                Arguments.of(Fragment.IDENTIFIER, List.of("file; DROP TABLE victim", "file -- x", "a/*b", "x".repeat(64), "")),
                Arguments.of(Fragment.TABLE, List.of("public.file; DROP TABLE victim", "\"file\" x", "public.file -- x")),
                Arguments.of(Fragment.CONSTRAINT_DEFINITION, List.of("CHECK (true); DROP TABLE victim", "NOT VALID")),
                Arguments.of(Fragment.INDEX_STATEMENT, List.of("CREATE INDEX CONCURRENTLY i ON file (x); DROP TABLE victim",
                        "DROP TABLE victim", "CREATE INDEX i ON file (x)")));
    }

    @ParameterizedTest(name = "{0} refuses smuggled SQL, naming the attribute and the value")
    @MethodSource("smuggled")
    void refusesSmuggledSqlNamingTheAttributeAndTheValue(Fragment kind, List<String> values) {
        for (String value : values) {
            assertThat(SqlFragments.check("attr", value, kind)).as("%s as %s", value, kind).hasValueSatisfying(problem -> {
                assertThat(problem.attribute()).isEqualTo("attr");
                assertThat(problem.value()).isEqualTo(value);
                assertThat(problem.describe()).startsWith("attribute attr: '" + value + "' is not " + kind.what())
                        .contains("Write " + kind.what());
            });
        }
    }
}
