package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardSettings;
import dev.zdm.guard.MigrationContext;
import dev.zdm.guard.UnsafeMigrationException;
import dev.zdm.lint.LintRunner;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The judge sees the changeset as the transaction it is (issue 17): every case runs through the runtime guard (a
 * migration's statements, one SQL string or several) and through the lint (the same SQL as a new changeset after a
 * history that builds the same schema), and both must name the expected rules. The case's premise is checked with
 * PostgreSQL itself ({@link PostgresVerdict}): a case with findings must rewrite, scan under a write-blocking lock,
 * write every row of, empty, drop from, or fail on a table with rows, and a case without findings must do none of it.
 *
 * <p>Units run by the guard one at a time are separated by {@code ;;}; a unit may hold several statements.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionRulesTest {

    static final List<String> SCHEMA = List.of(
            "CREATE TABLE owner (id bigint PRIMARY KEY)",
            "INSERT INTO owner SELECT g FROM generate_series(1, 10) g",
            "CREATE TABLE item (id bigint NOT NULL, owner_id bigint, name text, code varchar(20) COLLATE \"C\","
                    + " created timestamp(3), note varchar(20), validated int, valid boolean)",
            "INSERT INTO item SELECT g, 1 + g % 10, 'n' || g, 'c' || g, now(), 'x', g, true FROM generate_series(1, 100) g",
            "ALTER TABLE item ADD CONSTRAINT item_validated_nn CHECK (validated IS NOT NULL)",
            "ALTER TABLE item ADD CONSTRAINT item_name_nn CHECK (name IS NOT NULL AND length(name) > 0)",
            "CREATE UNIQUE INDEX item_id_key ON item (id)",
            "CREATE UNIQUE INDEX item_owner_key ON item (owner_id, id)",
            "CREATE INDEX item_code_idx ON item (code)",
            "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
            "CREATE TABLE scored (id int, score positive)",
            "INSERT INTO scored VALUES (1, 5), (2, 6)",
            "CREATE TABLE measure (id int, created date) PARTITION BY RANGE (created)",
            "CREATE TABLE measure_2024 (id int, created date)",
            "INSERT INTO measure_2024 VALUES (1, '2024-05-01'), (2, '2024-06-01')",
            "CREATE TABLE measure_2025 (id int, created date,"
                    + " CONSTRAINT measure_2025_bound CHECK (created IS NOT NULL AND created >= '2025-01-01'"
                    + " AND created < '2026-01-01'))",
            "INSERT INTO measure_2025 VALUES (1, '2025-05-01'), (2, '2025-06-01')",
            "CREATE TABLE tëst (id int)",
            "INSERT INTO tëst VALUES (1), (2)",
            "CREATE TABLE item_copy (id int)",
            "INSERT INTO item_copy VALUES (1), (2)");

    private final TestDatabase db;
    private DataSource guarded;
    
    @TempDir
    Path dir;

    TransactionRulesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void schema() throws Exception {
        db.execute(SCHEMA.toArray(String[]::new));
        if (!"1".equals(db.query("SELECT count(*) FROM pg_tablespace WHERE spcname = 'zdm_ts'"))) { // one per server
            Path space = Files.createTempDirectory("zdm-ts");
            db.execute("CREATE TABLESPACE zdm_ts LOCATION '" + space.toAbsolutePath() + "'");
        }
        guarded = new Guard(GuardSettings.defaults(), GuardListener.NONE).wrapForMigrations(db.dataSource());
    }

    @ParameterizedTest(name = "{0}: {1} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            1   | ALTER TABLE item ADD COLUMN c bigint ;; UPDATE item SET c = owner_id                              | true  | scan-under-lock
            1b  | ALTER TABLE item ADD COLUMN c bigint; UPDATE item SET c = owner_id WHERE c IS NULL                | true  | scan-under-lock
            2   | ALTER TABLE item ADD CONSTRAINT c CHECK (validated > 0) NOT VALID ;; ALTER TABLE item VALIDATE CONSTRAINT c | true | scan-under-lock
            2b  | ALTER TABLE item ADD CONSTRAINT f FOREIGN KEY (owner_id) REFERENCES owner (id) NOT VALID; ALTER TABLE item VALIDATE CONSTRAINT f | true | scan-under-lock
            2c  | ALTER TABLE item VALIDATE CONSTRAINT item_validated_nn                                            | true  | -
            3   | ALTER TABLE item DROP CONSTRAINT item_validated_nn; ALTER TABLE item ALTER COLUMN validated SET NOT NULL | true | set-not-null-scan
            3b  | ALTER TABLE item ALTER COLUMN validated SET NOT NULL                                              | true  | -
            4   | ALTER TABLE U&"\\0069tem" ALTER COLUMN id TYPE int                                                 | true  | column-type-rewrite
            4b  | ALTER TABLE {db}.public.item ALTER COLUMN id TYPE int                                             | true  | column-type-rewrite
            4c  | ALTER TABLE tëst ALTER COLUMN id TYPE bigint                                                      | true  | column-type-rewrite
            5   | DO $$ BEGIN EXECUTE 'ALTER TABLE item ALTER COLUMN id TYPE int'; END $$                           | true  | do-block
            6   | ALTER TABLE item ADD CONSTRAINT ex EXCLUDE USING btree (id WITH =) WHERE (NOT valid)              | true  | add-unique-builds-index
            7   | ALTER TABLE item ADD COLUMN r float8 DEFAULT CASE WHEN current_user IS NOT NULL THEN random() END | true  | add-column-rewrite
            8   | VACUUM FULL owner, item                                                                           | false | table-rewrite table-rewrite
            8b  | DROP TABLE item_copy, tëst                                                                        | true  | drop-table drop-table
            8c  | VACUUM (FULL false) item                                                                          | false | -
            9   | ALTER TABLE item ALTER COLUMN code TYPE varchar(20) COLLATE "default"                             | true  | column-collation-change
            9b  | ALTER TABLE item ALTER COLUMN code TYPE text                                                      | true  | column-collation-change
            9c  | ALTER TABLE item ALTER COLUMN code TYPE varchar(30) COLLATE "C"                                   | true  | -
            10  | ALTER TABLE item ADD CONSTRAINT item_pk PRIMARY KEY USING INDEX item_owner_key                    | true  | set-not-null-scan
            10b | ALTER TABLE item ADD CONSTRAINT item_pk PRIMARY KEY USING INDEX item_id_key                       | true  | -
            11  | ALTER TABLE measure ATTACH PARTITION measure_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') | true | attach-partition-scan
            11b | ALTER TABLE measure ATTACH PARTITION measure_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') | true | -
            12  | ALTER TABLE item ADD COLUMN p positive                                                            | true  | add-column-rewrite
            12b | ALTER DOMAIN positive ADD CONSTRAINT positive_small CHECK (VALUE < 1000)                          | true  | domain-constraint-scan
            12c | ALTER DOMAIN positive ADD CONSTRAINT positive_small CHECK (VALUE < 1000) NOT VALID                | true  | -
            13  | TRUNCATE item_copy                                                                                | true  | truncate
            13b | DROP DOMAIN positive CASCADE                                                                      | true  | drop-cascade
            14  | ALTER INDEX item_code_idx SET TABLESPACE zdm_ts                                                   | true  | index-set-tablespace
            15a | ALTER TABLE item ALTER COLUMN name SET NOT NULL                                                   | true  | -
            15b | ALTER TABLE item ALTER COLUMN created TYPE timestamp(6)                                           | true  | -
            15c | ALTER TABLE item ALTER COLUMN created TYPE timestamp(2)                                           | true  | column-type-rewrite
            i9  | ALTER TABLE item ADD COLUMN must int NOT NULL                                                     | true  | add-column-not-null
            i9b | ALTER TABLE item ADD COLUMN must int NOT NULL DEFAULT 0                                           | true  | -
            i10 | UPDATE item SET note = 'y'                                                                        | true  | whole-table-write
            i10b| UPDATE item SET note = 'y' WHERE id = 1                                                           | true  | -
            i10c| DELETE FROM item_copy                                                                             | true  | whole-table-write
            i9c | DELETE FROM item_copy;; ALTER TABLE item_copy ADD COLUMN must int NOT NULL                       | true  | whole-table-write
            i9d | DELETE FROM item_copy WHERE id = 1;; ALTER TABLE item_copy ADD COLUMN must int NOT NULL          | true  | add-column-not-null
            """)
    void judgesTheChangesetAsOneTransactionInTheGuardAndTheLint(String id, String sql, boolean inTransaction,
            String expected) throws Exception {
        List<String> units = Arrays.stream(sql.replace("{db}", db.name()).split(";;")).map(String::strip).toList();
        List<String> rules = expected == null ? List.of() : List.of(expected.split(" "));

        PostgresVerdict postgres;
        try (Connection connection = db.connect()) {
            postgres = PostgresVerdict.of(connection, units, inTransaction);
        }
        assertThat(postgres.unsafe()).as("PostgreSQL blocks or breaks a table with rows: %s", postgres)
                .isEqualTo(!rules.isEmpty());
        assertThat(guardFindings(id, units, inTransaction)).as("the guard").extracting(f -> f.rule().id())
                .containsExactlyInAnyOrderElementsOf(rules);
        assertThat(LintRunner.rules(dir, SCHEMA, String.join(";\n", units), inTransaction)).as("the lint")
                .containsExactlyInAnyOrderElementsOf(rules);
    }

    /** What the guard refuses when a migration runs the units on a connection (all rolled back afterwards). */
    List<Finding> guardFindings(String id, List<String> units, boolean inTransaction) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (MigrationContext ignored = MigrationContext.enter(new ChangeSetRef("cases.xml", id, "test", null, false));
                Connection connection = guarded.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(!inTransaction);
            try {
                for (String unit : units) {
                    statement.execute(unit);
                }
            } catch (UnsafeMigrationException refused) {
                findings.addAll(refused.findings());
                assertThat(refused.getMessage()).contains("changeset: cases.xml::" + id + "::test").contains("instead:");
            } finally {
                if (inTransaction) {
                    connection.rollback();
                }
            }
        }
        return findings;
    }

    /** The tables the findings name, unqualified. */
    static Set<String> tables(List<Finding> findings) {
        return findings.stream().filter(f -> f.table() != null).map(f -> f.table().name())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
