package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.zdm.columnchange.MirrorSql;
import dev.zdm.ddl.ConcurrentIndexBuild;
import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.PinnedSettings;
import dev.zdm.liquibase.SmuggledAttributesTest.AttributeFixture;
import dev.zdm.liquibase.change.ExpandColumnTypeChange;
import dev.zdm.liquibase.change.ZdmChangeException;
import dev.zdm.sql.SqlFragmentException;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.util.List;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.statement.ExecutablePreparedStatement;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A programmatic user gets the same protection: the Java API refuses smuggled SQL before anything runs. */
@ExtendWith(PostgresExtension.class)
class JavaApiAttributesTest {

    private final TestDatabase db;

    JavaApiAttributesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void tables() {
        AttributeFixture.tables(db);
    }

    @Test
    void jobDefinitionsRefuseSmuggledSqlNamingTheAttribute() {
        assertRefuses("using", () -> JobDefinition.backfill(null, "file", "file_size_big", "file_size; DROP TABLE victim", null,
                null, List.of()));
        assertRefuses("where", () -> JobDefinition.backfill(null, "file", "file_size_big", "file_size", "true) OR (true",
                null, List.of()));
        assertRefuses("targetColumn", () -> JobDefinition.backfill(null, "file", "x; DROP TABLE victim", "1", null, null,
                List.of()));
        assertRefuses("table", () -> JobDefinition.analyze("a", "public.file; DROP TABLE victim", List.of()));
        assertRefuses("createSql", () -> JobDefinition.index("i", "file", "i",
                "CREATE INDEX CONCURRENTLY i ON file (checksum); DROP TABLE victim", List.of()));
        assertRefuses("definition", () -> JobDefinition.addAndValidate("v", "file", "c", "CHECK (true) NOT VALID; DROP TABLE"
                + " victim; --", List.of()));
    }

    @Test
    void aConcurrentIndexBuildAndAMirrorSpecRefuseSmuggledSql() {
        assertRefuses("createSql", () -> new ConcurrentIndexBuild("i", "CREATE INDEX CONCURRENTLY i ON file (checksum)"
                + " WHERE (true); DROP TABLE victim", "test"));
        assertRefuses("using", () -> new MirrorSql.Spec("file", "file_size", "file_size_big", "file_size $zdm$; DROP TABLE"
                + " victim; $zdm$", List.of("file_size"), null, PinnedSettings.NONE, false, false));
    }

    @Test
    void aChangeRunFromJavaWithoutValidationRefusesANewDataTypeCarryingASecondStatement() throws Exception {
        String before = AttributeFixture.catalog(db);
        ExpandColumnTypeChange change = new ExpandColumnTypeChange();
        change.setTableName("file");
        change.setColumnName("file_size");
        change.setNewDataType("bigint; DROP TABLE victim");
        Throwable thrown;
        try (Connection connection = db.connect()) {
            ExecutablePreparedStatement statement = (ExecutablePreparedStatement) change.generateStatements(new PostgresDatabase())[0];
            thrown = catchThrowable(() -> statement.execute(new PreparedStatementFactory(new JdbcConnection(connection))));
        }
        assertThat(thrown).isInstanceOf(ZdmChangeException.class).hasMessageContaining("expandColumnType: table file,"
                + " attribute newDataType: 'bigint; DROP TABLE victim' is not one type name").hasMessageContaining("Nothing of"
                        + " this change was run");
        assertThat(AttributeFixture.victimRows(db)).isEqualTo(3);
        assertThat(AttributeFixture.catalog(db)).as("no shadow column, trigger or job").isEqualTo(before);
    }

    private static void assertRefuses(String attribute, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(SqlFragmentException.class)
                .satisfies(e -> assertThat(((SqlFragmentException) e).problem().attribute()).isEqualTo(attribute))
                .hasMessageContaining("attribute " + attribute + ": '").hasMessageContaining("Nothing was run");
    }
}
