package dev.zdm.rehearse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link SyntheticRows#fill} on a real PostgreSQL, one schema shape per test: each asserts the count reached and that
 * the constraint holds in a way PostgreSQL's own enforcement would not show (distinct counts, joins, spread).
 */
@ExtendWith(PostgresExtension.class)
class SyntheticRowsTest {

    private final TestDatabase db;

    SyntheticRowsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void emptySchemas() {
        db.execute("DROP SCHEMA IF EXISTS public CASCADE", "DROP SCHEMA IF EXISTS app CASCADE", "CREATE SCHEMA public",
                "DROP TYPE IF EXISTS mood CASCADE");
    }

    private FillReport fill(long rows) throws SQLException {
        try (Connection connection = db.connect()) {
            return SyntheticRows.fill(connection, rows);
        }
    }

    private long count(String sql) {
        return Long.parseLong(db.query(sql));
    }

    private static TableFill table(FillReport report, String name) {
        return report.table(name).orElseThrow(() -> new AssertionError(name + " not in " + report));
    }

    private static void assertFilled(FillReport report, String name, long rows) {
        TableFill fill = table(report, name);
        assertThat(fill.skippedBecause()).as(name).isNull();
        assertThat(fill.rowsAfter()).as(name).isEqualTo(rows);
    }

    @Test
    void everyCommonTypeIsFilledWithinItsLengthAndRange() throws SQLException {
        db.execute("CREATE TABLE t (a smallint NOT NULL, b integer NOT NULL, c bigint NOT NULL, d numeric(8,2) NOT NULL,"
                + " e real NOT NULL, f double precision NOT NULL, g boolean NOT NULL, h text NOT NULL, i varchar(12) NOT NULL,"
                + " j char(3) NOT NULL, k bytea NOT NULL, l uuid NOT NULL, m date NOT NULL, n timestamp NOT NULL,"
                + " o timestamptz NOT NULL, p time NOT NULL, q interval NOT NULL, r json NOT NULL, s jsonb NOT NULL,"
                + " u inet NOT NULL, v cidr NOT NULL, w integer[] NOT NULL, x varchar(5)[] NOT NULL, y money NOT NULL,"
                + " z numeric NOT NULL, aa timetz NOT NULL, bb macaddr NOT NULL)");
        FillReport report = fill(3000);
        assertFilled(report, "t", 3000);
        assertThat(count("SELECT max(length(i)) FROM t")).isEqualTo(12);
        assertThat(count("SELECT count(*) FROM t WHERE length(i) >= 10")).isGreaterThan(100);
        assertThat(count("SELECT count(DISTINCT length(h)) FROM t")).isGreaterThan(10);
        assertThat(count("SELECT count(DISTINCT g) FROM t")).isEqualTo(2);
        assertThat(count("SELECT count(DISTINCT b) FROM t")).isGreaterThan(1000);
        assertThat(count("SELECT count(DISTINCT d) FROM t")).as("numeric(8,2) values vary").isGreaterThan(1000);
        assertThat(count("SELECT count(DISTINCT bb) FROM t")).as("distinct macaddrs").isEqualTo(3000);
        assertThat(count("SELECT count(*) FROM t WHERE r->>'n' IS NULL OR s->>'n' IS NULL")).isZero();
    }

    @Test
    void nullableColumnsHoldSomeNullsAndUnknownTypesFallBack() throws SQLException {
        db.execute("CREATE TABLE t (id bigserial PRIMARY KEY, note text, span int4range, kept int4range NOT NULL DEFAULT '[1,2)')");
        FillReport report = fill(1000);
        assertFilled(report, "t", 1000);
        assertThat(count("SELECT count(*) FROM t WHERE note IS NULL")).isBetween(50L, 200L);
        assertThat(count("SELECT count(*) FROM t WHERE span IS NULL")).isEqualTo(1000);
        assertThat(count("SELECT count(*) FROM t WHERE kept = '[1,2)'")).isEqualTo(1000);

        db.execute("CREATE TABLE odd (id int PRIMARY KEY, span int4range NOT NULL)");
        TableFill odd = table(fill(1000), "odd");
        assertThat(odd.rowsAfter()).isZero();
        assertThat(odd.skippedBecause()).contains("column span of type int4range", "NOT NULL without a default");
    }

    @Test
    void uniqueKeysCompositeExpressionAndPartialIndexesHold() throws SQLException {
        db.execute("CREATE TABLE account (id uuid PRIMARY KEY, email varchar(40) NOT NULL, tenant int NOT NULL, handle text NOT NULL,"
                        + " code char(8) NOT NULL, active boolean NOT NULL, UNIQUE (tenant, handle))",
                "CREATE UNIQUE INDEX account_email ON account (lower(email))",
                "CREATE UNIQUE INDEX account_code ON account (code) WHERE active");
        FillReport report = fill(5000);
        assertFilled(report, "account", 5000);
        assertThat(count("SELECT count(DISTINCT lower(email)) FROM account")).isEqualTo(5000);
        assertThat(count("SELECT count(DISTINCT (tenant, handle)) FROM account")).isEqualTo(5000);
        assertThat(count("SELECT count(DISTINCT code) FROM account")).isEqualTo(5000);
    }

    @Test
    void aUniqueSmallintHoldsWhatFitsAndSaysWhy() throws SQLException {
        db.execute("CREATE TABLE tiny (code smallint PRIMARY KEY, label text NOT NULL)",
                "CREATE TABLE flag (on_off boolean UNIQUE NOT NULL)",
                "CREATE TABLE fine (id int PRIMARY KEY)");
        FillReport report = fill(40_000);
        TableFill tiny = table(report, "tiny");
        assertThat(tiny.rowsAfter()).isEqualTo(Short.MAX_VALUE);
        assertThat(tiny.skippedBecause()).contains("filled 32767 of 40000", "column code (smallint)", "distinct values");
        assertThat(table(report, "flag").rowsAfter()).isEqualTo(2);
        assertFilled(report, "fine", 40_000);
    }

    @Test
    void checksAreMetByRangesListsLengthsColumnOrderAndFiltering() throws SQLException {
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, price numeric(10,2) NOT NULL CHECK (price > 0 AND price < 1000),"
                + " status text NOT NULL CHECK (status IN ('new', 'paid', 'shipped')),"
                + " kind varchar(10) NOT NULL CHECK (kind = ANY (ARRAY['a', 'b'])),"
                + " code varchar(20) NOT NULL CHECK (length(code) >= 5), qty int NOT NULL CHECK (qty BETWEEN 1 AND 10),"
                + " starts date NOT NULL, ends date NOT NULL, sevens int NOT NULL CHECK (sevens % 7 = 0),"
                + " sku text NOT NULL CHECK (sku ~ '^[0-9]+_?'), CHECK (ends > starts))");
        FillReport report = fill(4000);
        assertFilled(report, "orders", 4000);
        assertThat(count("SELECT count(DISTINCT status) FROM orders")).isEqualTo(3);
        assertThat(count("SELECT count(DISTINCT kind) FROM orders")).isEqualTo(2);
        assertThat(count("SELECT count(DISTINCT qty) FROM orders")).isEqualTo(10);
        assertThat(count("SELECT min(length(code)) FROM orders")).isGreaterThanOrEqualTo(5);
        assertThat(count("SELECT count(DISTINCT price) FROM orders")).isGreaterThan(100);
    }

    @Test
    void checksThatNoGeneratedValuePassesUseNullOrTheDefault() throws SQLException {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, hex text CHECK (hex ~ '^[a-f]+$'),"
                + " word text NOT NULL DEFAULT 'abc' CHECK (word ~ '^[a-z]+$'))");
        FillReport report = fill(500);
        assertFilled(report, "t", 500);
        assertThat(count("SELECT count(*) FROM t WHERE hex IS NULL AND word = 'abc'")).isEqualTo(500);
    }

    @Test
    void domainsAndEnumsHold() throws SQLException {
        db.execute("CREATE DOMAIN public.positive AS integer NOT NULL CHECK (VALUE > 0)",
                "CREATE DOMAIN public.short_code AS varchar(20) CHECK (length(VALUE) <= 5)",
                "CREATE DOMAIN public.cents AS positive CHECK (VALUE < 500)",
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE t (id int PRIMARY KEY, n positive, code short_code NOT NULL, price cents, m mood NOT NULL,"
                        + " moods mood[] NOT NULL)");
        FillReport report = fill(2000);
        assertFilled(report, "t", 2000);
        assertThat(count("SELECT count(DISTINCT m) FROM t")).isEqualTo(3);
        assertThat(count("SELECT max(length(code)) FROM t")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM t WHERE price >= 500 OR price <= 0 OR n <= 0")).isZero();
        assertThat(count("SELECT count(*) FROM t WHERE n IS NULL")).isZero();
    }

    @Test
    void identitySerialAndGeneratedColumnsAreLeftToTheDatabase() throws SQLException {
        db.execute("CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, other bigserial UNIQUE, qty int NOT NULL,"
                + " twice int GENERATED ALWAYS AS (qty * 2) STORED)");
        FillReport report = fill(3000);
        assertFilled(report, "t", 3000);
        assertThat(count("SELECT count(*) FROM t WHERE twice <> qty * 2")).isZero();
        assertThat(count("SELECT max(id) FROM t")).isEqualTo(3000);
        db.execute("INSERT INTO t (qty) VALUES (1)"); // the sequences still hand out new keys
    }

    @Test
    void foreignKeysPointAtParentRowsInDependencyOrder() throws SQLException {
        db.execute("CREATE TABLE grandchild (id int PRIMARY KEY, child_id int NOT NULL)",
                "CREATE TABLE child (id int PRIMARY KEY, parent_a int NOT NULL, parent_b text NOT NULL, note text)",
                "CREATE TABLE parent (a int, b text, PRIMARY KEY (a, b))",
                "CREATE TABLE profile (parent_a int, parent_b text, PRIMARY KEY (parent_a, parent_b),"
                        + " FOREIGN KEY (parent_a, parent_b) REFERENCES parent)",
                "ALTER TABLE child ADD FOREIGN KEY (parent_a, parent_b) REFERENCES parent MATCH FULL",
                "ALTER TABLE grandchild ADD FOREIGN KEY (child_id) REFERENCES child");
        FillReport report = fill(2000);
        assertFilled(report, "parent", 2000);
        assertFilled(report, "child", 2000);
        assertFilled(report, "grandchild", 2000);
        assertFilled(report, "profile", 2000);
        assertThat(report.tables().stream().map(TableFill::table).toList().indexOf("public.parent"))
                .isLessThan(report.tables().stream().map(TableFill::table).toList().indexOf("public.child"));
        assertThat(count("SELECT count(*) FROM child c JOIN parent p ON (p.a, p.b) = (c.parent_a, c.parent_b)")).isEqualTo(2000);
        assertThat(count("SELECT count(DISTINCT (parent_a, parent_b)) FROM child")).isGreaterThan(1000);
        assertThat(count("SELECT count(*) FROM grandchild g JOIN child c ON c.id = g.child_id")).isEqualTo(2000);
    }

    @Test
    void aSelfReferenceBecomesATreeAndACycleIsClosedAfterwards() throws SQLException {
        db.execute("CREATE TABLE node (id bigserial PRIMARY KEY, parent_id bigint REFERENCES node, name text NOT NULL)",
                "CREATE TABLE team (id int PRIMARY KEY, lead_id int)",
                "CREATE TABLE person (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team)",
                "ALTER TABLE team ADD FOREIGN KEY (lead_id) REFERENCES person");
        FillReport report = fill(1000);
        assertFilled(report, "node", 1000);
        assertFilled(report, "team", 1000);
        assertFilled(report, "person", 1000);
        assertThat(count("SELECT count(*) FROM node n JOIN node p ON p.id = n.parent_id")).isBetween(850L, 950L);
        assertThat(count("SELECT count(*) FROM team t JOIN person p ON p.id = t.lead_id")).isBetween(850L, 950L);
        assertThat(count("SELECT count(*) FROM person p JOIN team t ON t.id = p.team_id")).isEqualTo(1000);
    }

    @Test
    void aCycleOfNotNullKeysIsReportedAndTheRestFilled() throws SQLException {
        db.execute("CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL)",
                "CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a)",
                "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b",
                "CREATE TABLE c (id int PRIMARY KEY)");
        FillReport report = fill(100);
        assertFilled(report, "c", 100);
        assertThat(table(report, "a").skippedBecause()).contains("references public.b, which has no rows");
        assertThat(table(report, "b").skippedBecause()).contains("references public.a, which has no rows");
    }

    @Test
    void triggersStayOnAndTheirInsertsDoNotBreakTheFill() throws SQLException {
        db.execute("CREATE TABLE audit (id bigserial PRIMARY KEY, what text NOT NULL, at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)",
                "CREATE FUNCTION audit_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO audit (what) VALUES ('item ' || NEW.id); RETURN NEW; END $$",
                "CREATE TRIGGER item_audit AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION audit_item()",
                "CREATE TABLE refused (id int PRIMARY KEY)",
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused: no rows here'; END $$",
                "CREATE TRIGGER refuse BEFORE INSERT ON refused FOR EACH ROW EXECUTE FUNCTION refuse()");
        FillReport report = fill(1000);
        assertFilled(report, "item", 1000);
        assertFilled(report, "audit", 1000);
        assertThat(count("SELECT count(*) FROM audit WHERE what LIKE 'item %'")).isEqualTo(1000);
        assertThat(table(report, "refused").skippedBecause()).contains("refused: no rows here");
    }

    @Test
    void exclusionConstraintsAndDeferrableUniqueKeys() throws SQLException {
        db.execute("CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, EXCLUDE USING btree (room WITH =))",
                "CREATE TABLE slot (id int PRIMARY KEY, during tsrange NOT NULL, EXCLUDE USING gist (during WITH &&))",
                "CREATE TABLE later (id int, code text NOT NULL, UNIQUE (code) DEFERRABLE INITIALLY DEFERRED)");
        FillReport report = fill(1000);
        assertFilled(report, "booking", 1000);
        assertThat(count("SELECT count(DISTINCT room) FROM booking")).isEqualTo(1000);
        assertThat(table(report, "slot").skippedBecause()).contains("during", "tsrange");
        assertFilled(report, "later", 1000);
    }

    @Test
    void partitionedTablesAreFilledThroughTheParentWithinTheBounds() throws SQLException {
        db.execute("CREATE TABLE event (id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE event_2024_01 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE event_2024_02 PARTITION OF event FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE sale (id int NOT NULL, region text NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                "CREATE TABLE sale_eu PARTITION OF sale FOR VALUES IN ('eu', 'uk')",
                "CREATE TABLE sale_us PARTITION OF sale FOR VALUES IN ('us')",
                "CREATE TABLE hit (id int PRIMARY KEY) PARTITION BY HASH (id)",
                "CREATE TABLE hit_0 PARTITION OF hit FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE hit_1 PARTITION OF hit FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
                "CREATE TABLE measure (id int NOT NULL, v int NOT NULL) PARTITION BY RANGE (v)",
                "CREATE TABLE measure_low PARTITION OF measure FOR VALUES FROM (MINVALUE) TO (50)",
                "CREATE TABLE measure_mid PARTITION OF measure FOR VALUES FROM (5000) TO (5100)");
        FillReport report = fill(3000);
        for (String table : new String[] {"event", "sale", "hit", "measure"}) {
            assertFilled(report, table, 3000);
        }
        assertThat(report.table("event_2024_01")).isEmpty();
        assertThat(count("SELECT count(*) FROM event_2024_01")).isBetween(1000L, 2000L);
        assertThat(count("SELECT count(DISTINCT region) FROM sale")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM hit_0")).isGreaterThan(1000);
        assertThat(count("SELECT count(*) FROM measure_mid")).isGreaterThan(0);
    }

    @Test
    void aTableWithRowsIsToppedUpAndASecondFillChangesNothing() throws SQLException {
        db.execute("CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL UNIQUE, file_size int NOT NULL DEFAULT 0)",
                "INSERT INTO file (checksum, file_size) VALUES ('1', 10), ('2_a', 20), ('3', 30)",
                "INSERT INTO file (id, checksum) VALUES (4, '4')");
        TableFill first = table(fill(1000), "file");
        assertThat(first.rowsBefore()).isEqualTo(4);
        assertThat(first.rowsAfter()).isEqualTo(1000);
        assertThat(count("SELECT count(*) FROM file WHERE checksum IN ('1', '2_a', '3', '4')")).isEqualTo(4);
        TableFill second = table(fill(1000), "file");
        assertThat(second.rowsBefore()).isEqualTo(1000);
        assertThat(second.rowsAfter()).isEqualTo(1000);
        TableFill more = table(fill(1500), "file");
        assertThat(more.rowsAfter()).isEqualTo(1500);
        assertThat(count("SELECT count(DISTINCT checksum) FROM file")).isEqualTo(1500);
        assertThat(count("SELECT reltuples::bigint FROM pg_class WHERE oid = 'file'::regclass")).isEqualTo(1500);
    }

    @Test
    void zdmAndLiquibaseTablesAndOtherSchemasAreHandledApart() throws SQLException {
        db.execute("CREATE SCHEMA app", "CREATE TABLE app.\"Order\" (id int PRIMARY KEY, \"Total\" int NOT NULL)",
                "CREATE TABLE zdm_job (name text PRIMARY KEY)",
                "CREATE TABLE databasechangeloglock (id int PRIMARY KEY, locked boolean NOT NULL)");
        FillReport report = fill(100);
        assertFilled(report, "app.\"Order\"", 100);
        assertThat(report.tables()).extracting(TableFill::table).containsExactly("app.\"Order\"");
        assertThat(count("SELECT count(*) FROM zdm_job")).isZero();
        assertThat(count("SELECT count(*) FROM databasechangeloglock")).isZero();
    }

    @Test
    void aConnectionInATransactionIsFilledAndLeftAsItWas() throws SQLException {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            assertThat(SyntheticRows.fill(connection, 10).table("t").orElseThrow().rowsAfter()).isEqualTo(10);
            assertThat(connection.getAutoCommit()).isFalse();
        }
        assertThat(count("SELECT count(*) FROM t")).isEqualTo(10);
        assertThatThrownBy(() -> SyntheticRows.fill(db.connect(), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedConnectionThrows() throws SQLException {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        Connection connection = db.connect();
        connection.close();
        assertThatThrownBy(() -> SyntheticRows.fill(connection, 10)).isInstanceOf(SQLException.class);
    }

    @Test
    void fifteenTablesOfMixedShapesInOneCallAndTheFillRate() throws SQLException {
        db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL DEFAULT 0,"
                        + " created timestamptz NOT NULL DEFAULT now(), name text NOT NULL, kind mood NOT NULL, size_mb numeric(10,2),"
                        + " public boolean NOT NULL)",
                "CREATE INDEX file_checksum_size ON file (checksum, file_size)");
        for (int i = 1; i <= 14; i++) {
            db.execute("CREATE TABLE t" + i + " (id int PRIMARY KEY, file_id bigint NOT NULL REFERENCES file, v" + i
                    + " varchar(" + (5 + i) + ") NOT NULL UNIQUE, n int CHECK (n > " + i + "))");
        }
        db.execute("CREATE TABLE impossible (id int PRIMARY KEY, v int NOT NULL CHECK (v > 5 AND v < 3))");
        long started = System.nanoTime();
        FillReport report = fill(100_000);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(report.tables()).hasSize(16);
        report.tables().stream().filter(t -> !t.table().equals("public.impossible"))
                .forEach(t -> assertThat(t.rowsAfter()).as(t.table()).isEqualTo(100_000));
        assertThat(table(report, "impossible").skippedBecause()).contains("column v");
        assertThat(count("SELECT count(*) FROM t14 t JOIN file f ON f.id = t.file_id")).isEqualTo(100_000);
        TableFill file = table(report, "file");
        System.out.printf("zdm test: synthetic fill of file (8 columns, PK + 1 index) %d rows in %d ms = %,.0f rows/s;"
                        + " 16 tables, %,d rows in %d ms with ANALYZE = %,.0f rows/s%n", file.rowsAfter(), file.took().toMillis(),
                file.rowsAfter() * 1000.0 / Math.max(1, file.took().toMillis()), report.rowsInserted(), millis,
                report.rowsInserted() * 1000.0 / Math.max(1, millis));
    }
}
