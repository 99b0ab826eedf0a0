package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every changelog Liquibase can run is read, and judged by the SQL Liquibase would run: files and classes resolved as
 * Liquibase resolves them, the changeset's quoting and {@code modifySql}, temporary tables, {@code IF NOT EXISTS},
 * schema-qualified writes, and findings at the changeset's own line.
 */
class LintReadsWhatLiquibaseRunsTest {

    static final String HISTORY = """
            --liquibase formatted sql
            --changeset base:1
            CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, name text, owner_id bigint);
            --changeset base:2
            CREATE TABLE owner (id bigint PRIMARY KEY);
            --changeset base:3
            CREATE TABLE accounts (id bigint PRIMARY KEY, email text);
            """;

    @TempDir
    Path dir;

    UserRepository repo;

    @BeforeEach
    void history() {
        repo = new UserRepository(dir).write("db/history.sql", HISTORY);
    }

    static String xml(String changeSets) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                %s
                </databaseChangeLog>
                """.formatted(changeSets);
    }

    private UserRepository master(String... files) {
        StringBuilder master = new StringBuilder("databaseChangeLog:\n  - include: { file: db/history.sql }\n");
        for (String file : files) {
            master.append("  - include: { file: ").append(file).append(" }\n");
        }
        return repo.write("db/master.yaml", master.toString());
    }

    @Test
    void readsSqlFilesOfOldAndNewChangesetsThroughLiquibasesScope() {
        repo.write("db/sql/old-view.sql", "CREATE VIEW file_names AS SELECT name FROM file;\n")
                .write("db/old.xml", xml("""
                        <changeSet id="old-1" author="dev"><sqlFile path="sql/old-view.sql" relativeToChangelogFile="true"/></changeSet>
                        """));
        master("db/old.xml").history();
        repo.write("db/sql/index.sql", "CREATE INDEX file_checksum_idx ON file (checksum);\n")
                .write("db/new.xml", xml("""
                        <changeSet id="new-1" author="dev"><sqlFile path="db/sql/index.sql"/></changeSet>
                        """));
        master("db/old.xml", "db/new.xml");

        UserRepository.Run run = repo.lintPullRequest("db/master.yaml");

        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Resource does not exist");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.rules()).containsExactly("new-1 create-index-blocking");
    }

    @Test
    void readsLoadDataCsvsAndCreateProcedurePathsAsLiquibaseDoes() {
        master().history();
        repo.write("db/data/owners.csv", "id\n1\n2\n")
                .write("db/sql/touch.sql", "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
                .write("db/new.xml", xml("""
                        <changeSet id="load" author="dev">
                          <loadData tableName="owner" file="data/owners.csv" relativeToChangelogFile="true"/>
                        </changeSet>
                        <changeSet id="procedure" author="dev">
                          <createProcedure path="sql/touch.sql" relativeToChangelogFile="true"/>
                        </changeSet>
                        """));
        master("db/new.xml");

        UserRepository.Run run = repo.lintPullRequest("db/master.yaml");

        assertThat(run.rules()).isEmpty();
        assertThat(run.exit()).isZero();
    }

    @Test
    void judgesWhatQuoteAllObjectsCreatesAgainstTheRawSqlThatQuotesIt() {
        master().history();
        repo.write("db/new.xml", xml("""
                <changeSet id="orders" author="dev" objectQuotingStrategy="QUOTE_ALL_OBJECTS">
                  <createTable tableName="ORDERS">
                    <column name="ID" type="int"/>
                    <column name="CODE" type="varchar(10)"/>
                  </createTable>
                </changeSet>
                <changeSet id="orders-widen" author="dev">
                  <sql>ALTER TABLE "ORDERS" ALTER COLUMN "CODE" TYPE varchar(5)</sql>
                  <sql>CREATE INDEX orders_code ON "ORDERS" ("CODE")</sql>
                </changeSet>
                """));
        master("db/new.xml");

        assertThat(repo.lintPullRequest("db/master.yaml").rules()).as("a table created in the same pull request").isEmpty();
    }

    @Test
    void judgesTemporaryTablesAsTheSessionsOwnAndTheRealTableOfTheSameNameAfterwards() {
        master().history();
        repo.write("db/new.sql", """
                --liquibase formatted sql
                --changeset dev:tmp
                CREATE TEMP TABLE owner ON COMMIT DROP AS SELECT DISTINCT owner_id AS id FROM file;
                CREATE INDEX tmp_owner_idx ON owner (id);
                --changeset dev:real
                CREATE INDEX owner_id_idx ON owner (id);
                """);
        master("db/new.sql");

        assertThat(repo.lintPullRequest("db/master.yaml").rules()).containsExactly("real create-index-blocking");
    }

    @Test
    void keepsATableThatCreateTableIfNotExistsFindsAlreadyThere() {
        master().history();
        repo.write("db/new.sql", """
                --liquibase formatted sql
                --changeset dev:ensure
                CREATE TABLE IF NOT EXISTS file (id bigint PRIMARY KEY);
                CREATE INDEX file_name_idx ON file (name);
                --changeset dev:fresh
                CREATE TABLE IF NOT EXISTS audit (id bigint PRIMARY KEY, at timestamptz);
                CREATE INDEX audit_at_idx ON audit (at);
                """);
        master("db/new.sql");

        assertThat(repo.lintPullRequest("db/master.yaml").rules()).containsExactly("ensure create-index-blocking");
    }

    @Test
    void aSchemaQualifiedInsertFillsTheNewTable() {
        master().history();
        repo.write("db/new.sql", """
                --liquibase formatted sql
                --changeset dev:copy
                CREATE TABLE accounts_v2 (id bigint PRIMARY KEY, email text);
                INSERT INTO public.accounts_v2 (id, email) SELECT id, email FROM accounts;
                CREATE INDEX accounts_v2_email ON accounts_v2 (email);
                --changeset dev:quoted
                CREATE TABLE accounts_v3 (id bigint PRIMARY KEY, email text);
                INSERT INTO "public"."accounts_v3" SELECT * FROM accounts;
                CREATE INDEX accounts_v3_email ON accounts_v3 (email);
                """);
        master("db/new.sql");

        assertThat(repo.lintPullRequest("db/master.yaml").rules())
                .containsExactly("copy create-index-blocking", "quoted create-index-blocking");
    }

    @Test
    void judgesTheSqlThatModifySqlMakes() {
        master().history();
        repo.write("db/new.xml", xml("""
                <changeSet id="concurrent-index" author="dev" runInTransaction="false">
                  <createIndex tableName="file" indexName="file_name_idx"><column name="name"/></createIndex>
                  <modifySql dbms="postgresql"><replace replace="CREATE INDEX" with="CREATE INDEX CONCURRENTLY"/></modifySql>
                </changeSet>
                <changeSet id="fk-not-valid" author="dev">
                  <addForeignKeyConstraint baseTableName="file" baseColumnNames="owner_id" constraintName="file_owner_fk"
                      referencedTableName="owner" referencedColumnNames="id"/>
                  <modifySql><append value=" NOT VALID"/></modifySql>
                </changeSet>
                <changeSet id="volatile-default" author="dev">
                  <addColumn tableName="file"><column name="token" type="uuid"/></addColumn>
                  <modifySql><append value=" DEFAULT gen_random_uuid()"/></modifySql>
                </changeSet>
                <changeSet id="other-database" author="dev">
                  <addColumn tableName="file"><column name="seen" type="timestamptz"/></addColumn>
                  <modifySql dbms="oracle"><append value=" DEFAULT SYSTIMESTAMP"/></modifySql>
                </changeSet>
                """));
        master("db/new.xml");

        assertThat(repo.lintPullRequest("db/master.yaml").rules()).containsExactly("volatile-default add-column-rewrite");
    }

    @Test
    void pointsAtTheChangesetsOwnLineWhateverItsSpacingIdOrAuthor() {
        master().history();
        repo.write("db/new.sql", """
                --liquibase formatted sql

                -- changeset b:2
                CREATE INDEX a ON file (name);

                --changeset a:10
                CREATE INDEX b ON file (checksum);

                --changeset a:1
                CREATE INDEX c ON file (owner_id);

                --changeset b:1
                CREATE INDEX d ON file (name, checksum);

                --changeset Ana Lima:1
                CREATE INDEX g ON file (owner_id, name);
                """);
        repo.write("db/new.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: y1
                      author: Ana Lima
                      changes:
                        - sql: { sql: CREATE INDEX h ON file (checksum, name) }
                """);
        repo.write("db/new.xml", xml("""
                <changeSet author="a"
                           id="x1">
                  <sql>CREATE INDEX e ON file (name)</sql>
                </changeSet>
                <changeSet id="x1" author="b"><sql>CREATE INDEX f ON file (name)</sql></changeSet>
                """));
        master("db/new.sql", "db/new.xml", "db/new.yaml");

        List<String> findings = repo.lintPullRequest("db/master.yaml").findings();

        assertThat(findings).containsExactly("2 create-index-blocking @3", "10 create-index-blocking @6",
                "1 create-index-blocking @9", "1 create-index-blocking @12", "1 create-index-blocking @15",
                "x1 create-index-blocking @7", "x1 create-index-blocking @10", "y1 create-index-blocking @3");
    }
}
