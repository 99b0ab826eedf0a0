package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.internal.CatalogFacts;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule fires on its unsafe form and stays silent on the safe form, judged against a real catalog.
 * Where PostgreSQL can show it, the test also checks the rule's premise: a statement the rules call a
 * rewrite gives the table a new relfilenode, and one they call safe does not.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SafetyRulesTest {

    private final TestDatabase db;

    SafetyRulesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void schema() {
        db.execute("""
                CREATE TABLE owner (id bigint PRIMARY KEY)""", """
                INSERT INTO owner SELECT g FROM generate_series(1, 10) g""", """
                CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL,
                  file_size integer NOT NULL DEFAULT 0, name text, price numeric(10,2), code varchar(20),
                  checked varchar(10) CHECK (length(checked) > 0), lowered varchar(20), validated int,
                  owner_id bigint, created timestamptz NOT NULL DEFAULT now())""", """
                CREATE INDEX file_lower_idx ON file (lower(lowered))""", """
                CREATE UNIQUE INDEX file_checksum_key ON file (checksum)""", """
                INSERT INTO file (checksum, file_size, name, price, code, checked, lowered, validated, owner_id)
                SELECT md5(g::text), g, 'n' || g, g, 'c' || g, 'k', 'L' || g, g, 1 + g % 10
                FROM generate_series(1, 100) g""", """
                ALTER TABLE file ADD CONSTRAINT file_validated_not_null CHECK (validated IS NOT NULL)""",
                "CREATE TABLE empty_t (id int, a int)",
                "CREATE TABLE new_t (id int, a int)",
                "CREATE TABLE parted (id int, created date) PARTITION BY RANGE (created)",
                "CREATE MATERIALIZED VIEW mv AS SELECT id FROM file");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            ALTER TABLE file ALTER COLUMN file_size TYPE bigint                          | column-type-rewrite     | false
            ALTER TABLE file ALTER COLUMN file_size TYPE bigint USING file_size::bigint  | column-type-rewrite     | false
            ALTER TABLE file ALTER COLUMN code TYPE varchar(50)                          | -                       | false
            ALTER TABLE file ALTER COLUMN code TYPE text                                 | -                       | false
            ALTER TABLE file ALTER COLUMN code TYPE varchar(50) USING code               | -                       | false
            ALTER TABLE file ALTER COLUMN code TYPE varchar(50) USING upper(code)        | column-type-rewrite     | false
            ALTER TABLE file ALTER COLUMN code TYPE VARCHAR(64) USING (code::VARCHAR(64)) | -                      | false
            ALTER TABLE file ALTER COLUMN code TYPE varchar(10)                          | column-type-rewrite     | false
            ALTER TABLE file ALTER COLUMN name TYPE varchar                              | -                       | false
            ALTER TABLE file ALTER COLUMN price TYPE numeric(12,2)                       | -                       | false
            ALTER TABLE file ALTER COLUMN price TYPE numeric(12,3)                       | column-type-rewrite     | false
            ALTER TABLE file ALTER COLUMN checked TYPE varchar(20)                       | column-type-revalidates | false
            ALTER TABLE file ALTER COLUMN lowered TYPE varchar(40)                       | column-type-revalidates | false
            ALTER TABLE empty_t ALTER COLUMN a TYPE bigint                               | -                       | false
            ALTER TABLE file ADD COLUMN note text                                        | -                       | false
            ALTER TABLE file ADD COLUMN flag boolean NOT NULL DEFAULT false              | -                       | false
            ALTER TABLE file ADD COLUMN seen timestamptz DEFAULT now()                   | -                       | false
            ALTER TABLE file ADD COLUMN seen timestamptz DEFAULT clock_timestamp()       | add-column-rewrite      | false
            ALTER TABLE file ADD COLUMN uid uuid DEFAULT gen_random_uuid()               | add-column-rewrite      | false
            ALTER TABLE file ADD COLUMN n bigserial                                      | add-column-rewrite      | false
            ALTER TABLE file ADD COLUMN g int GENERATED ALWAYS AS (file_size * 2) STORED | add-column-rewrite      | false
            ALTER TABLE file ADD COLUMN i int GENERATED BY DEFAULT AS IDENTITY           | add-column-rewrite      | false
            ALTER TABLE empty_t ADD COLUMN uid uuid DEFAULT gen_random_uuid()            | -                       | false
            ALTER TABLE file ALTER COLUMN name SET NOT NULL                              | set-not-null-scan       | false
            ALTER TABLE file ALTER COLUMN validated SET NOT NULL                         | -                       | false
            ALTER TABLE file ADD CONSTRAINT c CHECK (file_size >= 0)                     | add-check-scan          | false
            ALTER TABLE file ADD CONSTRAINT c CHECK (file_size >= 0) NOT VALID           | -                       | false
            ALTER TABLE file ADD CONSTRAINT f FOREIGN KEY (owner_id) REFERENCES owner (id)           | add-foreign-key-scan | false
            ALTER TABLE file ADD CONSTRAINT f FOREIGN KEY (owner_id) REFERENCES owner (id) NOT VALID | -                    | false
            ALTER TABLE file ADD COLUMN o bigint REFERENCES owner (id)                   | add-foreign-key-scan    | false
            ALTER TABLE file ADD CONSTRAINT u UNIQUE (checksum)                          | add-unique-builds-index | false
            ALTER TABLE file ADD CONSTRAINT u UNIQUE USING INDEX file_checksum_key       | -                       | false
            ALTER TABLE file VALIDATE CONSTRAINT file_validated_not_null                 | -                       | true
            CREATE INDEX i ON file (checksum)                                            | create-index-blocking   | false
            CREATE INDEX CONCURRENTLY i ON file (checksum)                               | -                       | false
            CREATE INDEX CONCURRENTLY i ON file (checksum)                               | concurrently-in-transaction | true
            CREATE INDEX i ON empty_t (a)                                                | -                       | true
            CREATE INDEX CONCURRENTLY i ON parted (id)                                   | concurrently-partitioned | false
            REINDEX TABLE file                                                           | reindex-blocking        | false
            REINDEX TABLE CONCURRENTLY file                                              | -                       | false
            VACUUM FULL file                                                             | table-rewrite           | false
            VACUUM file                                                                  | -                       | false
            CLUSTER file USING file_pkey                                                 | table-rewrite           | false
            ALTER TABLE file SET UNLOGGED                                                | table-rewrite           | false
            REFRESH MATERIALIZED VIEW mv                                                 | refresh-blocking        | false
            REFRESH MATERIALIZED VIEW CONCURRENTLY mv                                    | -                       | false
            ALTER TABLE file DROP COLUMN name                                            | drop-column             | true
            ALTER TABLE new_t DROP COLUMN a                                              | -                       | true
            DROP TABLE file                                                              | drop-table              | true
            DROP TABLE new_t                                                             | -                       | true
            ALTER TABLE file RENAME COLUMN name TO title                                 | rename-column           | true
            ALTER TABLE new_t RENAME COLUMN a TO b                                       | -                       | true
            ALTER TABLE file RENAME TO files                                             | rename-table            | true
            CREATE TABLE x (id int)                                                      | -                       | true
            ALTER TABLE file ADD COLUMN note text, ALTER COLUMN file_size TYPE bigint    | column-type-rewrite     | true
            """)
    void judgesEachStatementAgainstTheCatalog(String sql, String expectedRule, boolean inTransaction) throws SQLException {
        try (Connection connection = db.connect()) {
            CatalogFacts facts = new CatalogFacts(connection, Set.of(new TableName(null, "new_t")));
            List<Finding> findings = SafetyJudge.judge(StatementClassifier.classify(sql), facts, inTransaction);

            assertThat(findings).extracting(f -> f.rule().id())
                    .isEqualTo(expectedRule == null ? List.of() : List.of(expectedRule));
            findings.forEach(f -> assertThat(f.describe()).contains(f.rule().id()).contains("Instead: "));
        }
        if (sql.startsWith("ALTER TABLE file ALTER COLUMN") || sql.startsWith("ALTER TABLE file ADD COLUMN")) {
            boolean ruleSaysRewrite = "column-type-rewrite".equals(expectedRule) || "add-column-rewrite".equals(expectedRule);
            assertThat(rewritesInPostgres(sql)).as("PostgreSQL rewrites the table for: %s", sql).isEqualTo(ruleSaysRewrite);
        }
    }

    /** Runs the statement in a transaction that is rolled back, and tells whether the table got a new file. */
    private boolean rewritesInPostgres(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            long before = relfilenode(statement);
            statement.execute(sql);
            long after = relfilenode(statement);
            connection.rollback();
            return before != after;
        }
    }

    private static long relfilenode(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT relfilenode FROM pg_class WHERE oid = 'file'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
