package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.sql.AlterAction.ActionType;
import dev.zdm.sql.AlterAction.ConstraintType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementClassifierTest {

    @Test
    void dmlIsNotDdlAndCostsNoParse() {
        for (String sql : List.of("SELECT 1", "  insert into file values (1)", "UPDATE file SET a = 1", "delete from x",
                "WITH a AS (SELECT 1) SELECT * FROM a", "/* create */ SELECT 'drop table x'", "-- alter\nSELECT 1",
                "SET lock_timeout = '1s'", "SELECT 1;")) {
            assertThat(StatementClassifier.mayBeDdl(sql)).as(sql).isFalse();
            assertThat(StatementClassifier.classify(sql)).as(sql).isSameAs(ClassifiedStatement.NOT_DDL);
        }
    }

    @Test
    void aScriptWithDdlAfterDmlIsLookedAt() {
        assertThat(StatementClassifier.mayBeDdl("INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN c int")).isTrue();
        assertThat(StatementClassifier.classifyAll("INSERT INTO t VALUES (';'); ALTER TABLE t ADD COLUMN c int"))
                .extracting(ClassifiedStatement::kind).containsExactly(StatementKind.NOT_DDL, StatementKind.ALTER_TABLE);
    }

    @Test
    void splitsScriptsOnlyOnTopLevelSemicolons() {
        String script = """
                CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.a := 1; RETURN NEW; END $body$ LANGUAGE plpgsql;
                -- a comment; with a semicolon
                INSERT INTO t VALUES ('a;b', E'c\\';d');
                ALTER TABLE "weird;name" ADD COLUMN c int
                """;
        assertThat(SqlLexer.splitStatements(script)).hasSize(3);
    }

    @Test
    void readsAlterColumnType() {
        ClassifiedStatement s = StatementClassifier.classify(
                "ALTER TABLE public.file ALTER COLUMN file_size SET DATA TYPE bigint USING file_size::bigint");
        assertThat(s.kind()).isEqualTo(StatementKind.ALTER_TABLE);
        assertThat(s.table()).isEqualTo(new TableName("public", "file"));
        assertThat(s.lockLevel()).isEqualTo(LockLevel.ACCESS_EXCLUSIVE);
        AlterAction action = s.actions().get(0);
        assertThat(action.type()).isEqualTo(ActionType.ALTER_COLUMN_TYPE);
        assertThat(action.column()).isEqualTo("file_size");
        assertThat(action.dataType()).isEqualTo("bigint");
        assertThat(action.expression()).isEqualTo("file_size::bigint");
    }

    @Test
    void readsSeveralActionsAndInlineConstraints() {
        ClassifiedStatement s = StatementClassifier.classify("alter table \"File\" add column if not exists owner_id int"
                + " not null default 0 references owner (id) on delete cascade, add constraint c check (a > 0) not valid,"
                + " alter column name set not null, drop column old, validate constraint v");
        assertThat(s.table()).isEqualTo(new TableName(null, "File"));
        assertThat(s.actions()).extracting(AlterAction::type).containsExactly(ActionType.ADD_COLUMN,
                ActionType.ADD_CONSTRAINT, ActionType.ADD_CONSTRAINT, ActionType.SET_NOT_NULL, ActionType.DROP_COLUMN,
                ActionType.VALIDATE_CONSTRAINT);
        AlterAction column = s.actions().get(0);
        assertThat(column.dataType()).isEqualTo("int");
        assertThat(column.notNull()).isTrue();
        assertThat(column.expression()).isEqualTo("0");
        AlterAction fk = s.actions().get(1);
        assertThat(fk.constraint()).isEqualTo(ConstraintType.FOREIGN_KEY);
        assertThat(fk.references()).isEqualTo(new TableName(null, "owner"));
        assertThat(fk.column()).isEqualTo("owner_id");
        AlterAction check = s.actions().get(2);
        assertThat(check.constraint()).isEqualTo(ConstraintType.CHECK);
        assertThat(check.notValid()).isTrue();
        assertThat(check.expression()).isEqualTo("a > 0");
    }

    @Test
    void readsLockLevelsOfOtherStatements() {
        assertThat(StatementClassifier.classify("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)"))
                .satisfies(s -> {
                    assertThat(s.kind()).isEqualTo(StatementKind.CREATE_INDEX);
                    assertThat(s.concurrently()).isTrue();
                    assertThat(s.objectName()).isEqualTo("i");
                    assertThat(s.table()).isEqualTo(new TableName(null, "t"));
                    assertThat(s.lockLevel()).isEqualTo(LockLevel.SHARE_UPDATE_EXCLUSIVE);
                    assertThat(s.isLongRunningButNonBlocking()).isTrue();
                });
        assertThat(StatementClassifier.classify("create unique index on t using btree (a)").lockLevel()).isEqualTo(LockLevel.SHARE);
        assertThat(StatementClassifier.classify("ALTER TABLE t VALIDATE CONSTRAINT c").isLongRunningButNonBlocking()).isTrue();
        assertThat(StatementClassifier.classify("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES o (id) NOT VALID")
                .lockLevel()).isEqualTo(LockLevel.SHARE_ROW_EXCLUSIVE);
        assertThat(StatementClassifier.classify("VACUUM (FULL, ANALYZE) t").has("FULL")).isTrue();
        assertThat(StatementClassifier.classify("VACUUM (FULL false) t").has("FULL")).isFalse();
        assertThat(StatementClassifier.classify("LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE").lockLevel())
                .isEqualTo(LockLevel.SHARE_ROW_EXCLUSIVE);
        assertThat(StatementClassifier.classify("CREATE TABLE t2 AS SELECT * FROM t").has("AS")).isTrue();
        assertThat(StatementClassifier.classify("CREATE TABLE t2 (a int)").has("AS")).isFalse();
        assertThat(StatementClassifier.classify("REFRESH MATERIALIZED VIEW CONCURRENTLY mv").concurrently()).isTrue();
        assertThat(StatementClassifier.classify("create trigger tr before update on s.t for each row execute function f()")
                .table()).isEqualTo(new TableName("s", "t"));
    }

    @Test
    void readsGeneratedAndIdentityColumns() {
        assertThat(StatementClassifier.classify("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED")
                .actions().get(0).generated()).isEqualTo("stored");
        assertThat(StatementClassifier.classify("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2)")
                .actions().get(0).generated()).isEqualTo("virtual");
        assertThat(StatementClassifier.classify("ALTER TABLE t ADD COLUMN i bigint GENERATED BY DEFAULT AS IDENTITY")
                .actions().get(0).generated()).isEqualTo("identity");
    }

    @Test
    void normalizesTypes() {
        assertThat(SqlType.parse("character varying(32)")).isEqualTo(SqlType.parse("VARCHAR(32)"));
        assertThat(SqlType.parse("timestamp(3) with time zone").name()).isEqualTo("timestamptz");
        assertThat(SqlType.parse("int4")).isEqualTo(SqlType.parse("integer"));
        assertThat(SqlType.parse("numeric(10, 2)").modifiers()).containsExactly(10, 2);
        assertThat(SqlType.parse("text[]").array()).isTrue();
    }

    @Test
    void quotesIdentifiersOnlyWhereNeeded() {
        assertThat(new TableName("public", "file").sql()).isEqualTo("public.file");
        assertThat(new TableName(null, "File").sql()).isEqualTo("\"File\"");
        assertThat(new TableName(null, "user").sql()).isEqualTo("\"user\"");
        assertThat(TableName.parse("\"My \"\"T\"\"\"")).isEqualTo(new TableName(null, "My \"T\""));
    }
}
