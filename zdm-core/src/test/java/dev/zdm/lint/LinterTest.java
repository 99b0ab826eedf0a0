package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lint judges only new changesets, against the schema the whole history built. */
class LinterTest {

    @TempDir
    Path dir;

    private List<LintFinding> lintNew(String newFile, String content) {
        Path master = LintCorpus.write(dir, newFile, content);
        Linter linter = new Linter();
        Set<String> keys = linter.keys(dir, "master.yaml").stream().filter(k -> k.startsWith(newFile + "::"))
                .collect(Collectors.toSet());
        assertThat(master).exists();
        return linter.lint(dir, "master.yaml", keys).findings();
    }

    @ParameterizedTest(name = "{0} in {3}: unsafe fires, safe is silent")
    @CsvSource(delimiter = '|', textBlock = """
            column-type-rewrite         | ALTER TABLE file ALTER COLUMN file_size TYPE bigint                        | ALTER TABLE file ALTER COLUMN code TYPE varchar(50)             | xml  | true
            column-type-rewrite         | ALTER TABLE file ALTER COLUMN code TYPE varchar(10)                        | ALTER TABLE file ALTER COLUMN file_size TYPE int USING file_size | yaml | true
            column-type-revalidates     | ALTER TABLE file ALTER COLUMN checked TYPE varchar(20)                     | ALTER TABLE file ALTER COLUMN code TYPE text                    | sql  | true
            add-column-rewrite          | ALTER TABLE file ADD COLUMN seen timestamptz DEFAULT clock_timestamp()     | ALTER TABLE file ADD COLUMN seen timestamptz DEFAULT now()      | xml  | true
            set-not-null-scan           | ALTER TABLE file ALTER COLUMN name SET NOT NULL                            | ALTER TABLE file ALTER COLUMN validated SET NOT NULL            | yaml | true
            add-check-scan              | ALTER TABLE file ADD CONSTRAINT c CHECK (file_size >= 0)                   | ALTER TABLE file ADD CONSTRAINT c CHECK (file_size >= 0) NOT VALID | sql | true
            add-foreign-key-scan        | ALTER TABLE file ADD CONSTRAINT f FOREIGN KEY (owner_id) REFERENCES owner (id) | ALTER TABLE file ADD CONSTRAINT f FOREIGN KEY (owner_id) REFERENCES owner (id) NOT VALID | xml | true
            add-unique-builds-index     | ALTER TABLE file ADD CONSTRAINT u UNIQUE (checksum)                        | ALTER TABLE file ADD CONSTRAINT u UNIQUE USING INDEX file_checksum_idx | yaml | true
            create-index-blocking       | CREATE INDEX i ON file (checksum)                                          | CREATE TABLE t2 (a int); CREATE INDEX i2 ON t2 (a)              | sql  | true
            reindex-blocking            | REINDEX TABLE file                                                         | REINDEX TABLE CONCURRENTLY file                                 | xml  | false
            concurrently-partitioned    | CREATE INDEX CONCURRENTLY i ON parted (id)                                 | CREATE INDEX CONCURRENTLY i ON file (checksum)                  | yaml | false
            table-rewrite               | VACUUM FULL file                                                           | VACUUM file                                                     | sql  | false
            refresh-blocking            | REFRESH MATERIALIZED VIEW mv                                               | REFRESH MATERIALIZED VIEW CONCURRENTLY mv                       | xml  | true
            drop-column                 | ALTER TABLE file DROP COLUMN name                                          | CREATE TABLE t3 (a int, b int); ALTER TABLE t3 DROP COLUMN b    | yaml | true
            drop-table                  | DROP TABLE owner                                                           | CREATE TABLE t4 (a int); DROP TABLE t4                          | sql  | true
            rename-column               | ALTER TABLE file RENAME COLUMN name TO title                               | CREATE TABLE t5 (a int); ALTER TABLE t5 RENAME COLUMN a TO b    | xml  | true
            rename-table                | ALTER TABLE file RENAME TO files                                           | CREATE TABLE t6 (a int); ALTER TABLE t6 RENAME TO t7            | yaml | true
            """)
    void firesOnTheUnsafeFormAndStaysSilentOnTheSafeOne(String rule, String unsafe, String safe, String firstFormat,
            boolean inTransaction) {
        for (String format : LintCorpus.formats()) {
            String file = "new." + format;
            List<LintFinding> unsafeFindings = lintNew(file, LintCorpus.changelog(format, "1-change", inTransaction, unsafe));
            assertThat(unsafeFindings).as("%s in %s", unsafe, format).extracting(LintFinding::rule).containsExactly(rule);
            assertThat(unsafeFindings.get(0)).satisfies(f -> {
                assertThat(f.severity()).isEqualTo(LintFinding.Severity.ERROR);
                assertThat(f.changeSet()).isEqualTo("1-change");
                assertThat(f.author()).isEqualTo("dev");
                assertThat(f.file()).isEqualTo(file);
                assertThat(f.line()).isGreaterThan(1);
                assertThat(f.message()).contains("Instead: ");
            });
            assertThat(lintNew(file, LintCorpus.changelog(format, "1-change", inTransaction, safe))).as("%s in %s", safe, format)
                    .isEmpty();
        }
        assertThat(firstFormat).isIn(LintCorpus.formats());
    }

    @Test
    void flagsConcurrentlyInATransactionalChangesetInEveryFormatAndForZdmsOwnChange() {
        for (String format : LintCorpus.formats()) {
            assertThat(lintNew("new." + format, LintCorpus.changelog(format, "1-idx", true,
                    "CREATE INDEX CONCURRENTLY i ON file (checksum)"))).extracting(LintFinding::rule)
                    .containsExactly("concurrently-in-transaction");
        }
        assertThat(lintNew("new.xml", LintCorpus.xml("1-idx", true,
                "<zdm:createIndexConcurrently tableName=\"file\" indexName=\"i\" columns=\"checksum\"/>", null)))
                .extracting(LintFinding::rule).containsExactly("concurrently-in-transaction");
        assertThat(lintNew("new.xml", LintCorpus.xml("1-idx", false,
                "<zdm:createIndexConcurrently tableName=\"file\" indexName=\"i\" columns=\"checksum\"/>", null))).isEmpty();
    }

    @Test
    void flagsSqlSmuggledIntoAZdmAttributeAsAnErrorNamingTheAttributeWithoutADatabase() {
        List<LintFinding> index = lintNew("new.xml", LintCorpus.xml("1-idx", false, "<zdm:createIndexConcurrently tableName=\"file\""
                + " indexName=\"i\" columns=\"checksum\" where=\"file_size &gt; 0; DROP TABLE victim\"/>", null));
        assertThat(index).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Linter.SQL_IN_ATTRIBUTE);
            assertThat(f.severity()).isEqualTo(LintFinding.Severity.ERROR);
            assertThat(f.message()).contains("createIndexConcurrently: table file, attribute where: 'file_size > 0; DROP TABLE"
                    + " victim' is not one boolean SQL expression").contains("holds a ';'");
            assertThat(f.sql()).isEqualTo("file_size > 0; DROP TABLE victim");
        });
        assertThat(lintNew("new.xml", LintCorpus.xml("1-expand", true, "<zdm:expandColumnType tableName=\"file\""
                + " columnName=\"file_size\" newDataType=\"bigint -- \" using=\"(WITH d AS (DELETE FROM victim RETURNING 1)"
                + " SELECT 1)\"/>", null))).extracting(LintFinding::rule, f -> f.message().contains("attribute newDataType")
                        || f.message().contains("attribute using"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Linter.SQL_IN_ATTRIBUTE, true),
                        org.assertj.core.groups.Tuple.tuple(Linter.SQL_IN_ATTRIBUTE, true));
        assertThat(lintNew("new.xml", LintCorpus.xml("1-idx", false, "<zdm:createIndexConcurrently tableName=\"file\""
                + " indexName=\"i\" columns=\"lower(name)\" where=\"name IS NOT NULL AND file_size &gt; 0\"/>", null)))
                .as("a legitimate predicate").isEmpty();
    }

    @Test
    void judgesLiquibasesOwnChangeTypesThroughTheirSql() {
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true,
                "<createIndex tableName=\"file\" indexName=\"i\"><column name=\"code\"/></createIndex>", null)))
                .extracting(LintFinding::rule).containsExactly("create-index-blocking");
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true,
                "<modifyDataType tableName=\"file\" columnName=\"file_size\" newDataType=\"bigint\"/>", null)))
                .extracting(LintFinding::rule).containsExactly("column-type-rewrite");
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true,
                "<modifyDataType tableName=\"file\" columnName=\"code\" newDataType=\"varchar(64)\"/>", null))).isEmpty();
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true,
                "<addNotNullConstraint tableName=\"file\" columnName=\"name\"/>", null)))
                .extracting(LintFinding::rule).containsExactly("set-not-null-scan");
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true,
                "<dropColumn tableName=\"file\" columnName=\"name\"/>", null)))
                .extracting(LintFinding::rule).containsExactly("drop-column");
    }

    @Test
    void aTableEmptiedEarlierInTheChangesetTakesANotNullColumnUntilSomethingFillsItAgain() {
        String emptied = """
                --liquibase formatted sql
                --changeset dev:1
                DELETE FROM file;
                ALTER TABLE file ADD COLUMN must int NOT NULL;
                """;
        assertThat(lintNew("new.sql", emptied)).extracting(LintFinding::rule).containsExactly("whole-table-write");
        String filledAgain = """
                --liquibase formatted sql
                --changeset dev:1
                DELETE FROM file;
                INSERT INTO file (checksum, file_size) VALUES ('x', 1);
                ALTER TABLE file ADD COLUMN must int NOT NULL;
                """;
        assertThat(lintNew("again.sql", filledAgain)).extracting(LintFinding::rule)
                .containsExactlyInAnyOrder("whole-table-write", "add-column-not-null");
    }

    @Test
    void knowsWhatEarlierNewChangesetsDid() {
        String notNullAfterValidatedCheck = """
                --liquibase formatted sql
                --changeset dev:1
                ALTER TABLE file ADD CONSTRAINT file_name_nn CHECK (name IS NOT NULL) NOT VALID;
                --changeset dev:2 runInTransaction:false
                ALTER TABLE file VALIDATE CONSTRAINT file_name_nn;
                --changeset dev:3
                ALTER TABLE file ALTER COLUMN name SET NOT NULL;
                """;
        assertThat(lintNew("new.sql", notNullAfterValidatedCheck)).isEmpty();

        String filledNewTable = """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE lookup (id int PRIMARY KEY, code text);
                INSERT INTO lookup SELECT g, 'c' || g FROM generate_series(1, 10) g;
                CREATE INDEX lookup_code ON lookup (code);
                """;
        assertThat(lintNew("new.sql", filledNewTable)).extracting(LintFinding::rule).containsExactly("create-index-blocking");

        String createdAs = """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE copy AS SELECT * FROM file;
                ALTER TABLE copy ALTER COLUMN file_size TYPE bigint;
                """;
        assertThat(lintNew("new.sql", createdAs)).extracting(LintFinding::rule).containsExactly("column-type-rewrite");

        String shadowThenWiden = """
                <zdm:addShadowColumn tableName="file" columnName="code" newDataType="varchar(20)" shadowColumnName="code_wide"/>
                """.strip();
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true, shadowThenWiden, null))).isEmpty();
    }

    @Test
    void reportsAllowedChangesetsAsInfoWithTheReason() {
        assertThat(lintNew("new.xml", LintCorpus.xml("1", true, "CREATE INDEX i ON file (checksum)",
                "zdm:allowUnsafe=\"tiny table\""))).singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(LintFinding.Severity.INFO);
                    assertThat(f.message()).startsWith("allowed (allowUnsafe: tiny table)");
                });
        assertThat(lintNew("new.sql", "--liquibase formatted sql\n--changeset dev:1\n--zdm:allowUnsafe maintenance window\n"
                + "VACUUM FULL file;\n")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(LintFinding.Severity.INFO));
        assertThat(lintNew("new.yaml", "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: dev\n"
                + "      allowUnsafe: lookup table\n      changes:\n        - sql: { sql: CREATE INDEX i ON file (checksum) }\n"))
                .singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(LintFinding.Severity.INFO));
    }

    @Test
    void refusesAChangelogThatDoesNotParseWithOneParagraph() {
        LintCorpus.write(dir, "new.xml", "<databaseChangeLog><changeSet id=");
        assertThatThrownBy(() -> new Linter().lint(dir, "master.yaml", null)).isInstanceOf(LintException.class)
                .hasMessageContaining("cannot be read").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n\tat "));
    }
}
