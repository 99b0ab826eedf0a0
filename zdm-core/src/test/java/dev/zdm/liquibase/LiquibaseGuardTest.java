package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.ZdmException;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.guard.UnsafeMigrationException;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard under Liquibase: refusals name the changeset, overrides work, nothing is half-applied. */
@ExtendWith(PostgresExtension.class)
class LiquibaseGuardTest {

    private final TestDatabase db;
    private DataSource migrations;

    LiquibaseGuardTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void existingTableWithRows() {
        db.execute("DROP TABLE IF EXISTS file, databasechangelog, databasechangeloglock",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 100) g");
        migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    @Test
    void refusesAnUnsafeChangesetNamingItAndLeavesItUnrecordedAndTheTableUnchanged() throws Exception {
        assertThatThrownBy(() -> Migrations.update(migrations, "guard/unsafe.xml"))
                .hasRootCauseInstanceOf(UnsafeMigrationException.class)
                .rootCause().hasMessageContaining("changeset: guard/unsafe.xml::2-index::test")
                .hasMessageContaining("table:     public.file")
                .hasMessageContaining("rule:      create-index-blocking");

        assertThat(ranChangeSets()).containsExactly("1-add-note");
        assertThat(query("SELECT count(*) FROM pg_indexes WHERE indexname = 'file_size_idx'")).isEqualTo("0");
        assertThat(query("SELECT data_type FROM information_schema.columns WHERE table_name = 'file'"
                + " AND column_name = 'file_size'")).isEqualTo("integer");
        assertThat(query("SELECT count(*) FROM file")).isEqualTo("100");
    }

    @Test
    void runsChangesetsThatGiveAReasonInXmlYamlOrSql() throws Exception {
        for (String changeLog : List.of("guard/allowed.xml", "guard/allowed.yaml", "guard/allowed.sql")) {
            existingTableWithRows();
            Migrations.update(migrations, changeLog);
            assertThat(query("SELECT count(*) FROM pg_indexes WHERE indexname = 'file_size_idx'")).as(changeLog).isEqualTo("1");
        }
    }

    @Test
    void ignoresAnAllowUnsafeWithoutAReason() {
        assertThatThrownBy(() -> Migrations.update(migrations, "guard/blank-reason.yaml"))
                .hasRootCauseInstanceOf(UnsafeMigrationException.class);
    }

    @Test
    void treatsChangesetsUpToStartAfterAsHistoryAndStillGuardsTheRest() throws Exception {
        assertThatThrownBy(() -> Migrations.update(migrations, "guard/unsafe.xml", "2-index", Map.of()))
                .rootCause().isInstanceOf(UnsafeMigrationException.class)
                .hasMessageContaining("guard/unsafe.xml::3-widen::test")
                .hasMessageContaining("column-type-rewrite");
        assertThat(ranChangeSets()).containsExactly("1-add-note", "2-index");

        existingTableWithRows();
        Migrations.update(migrations, "guard/unsafe.xml", "guard/unsafe.xml::3-widen::test", Map.of());
        assertThat(ranChangeSets()).containsExactly("1-add-note", "2-index", "3-widen");
    }

    @Test
    void refusesAStartAfterThatNamesNoChangesetBeforeRunningAnything() throws SQLException {
        assertThatThrownBy(() -> Migrations.update(migrations, "guard/unsafe.xml", "no-such-id", Map.of()))
                .rootCause().isInstanceOf(ZdmException.class)
                .hasMessageContaining("zdm.guard.start-after='no-such-id' names no changeset");
        assertThat(query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'file'"
                + " AND column_name = 'note'")).isEqualTo("0");
    }

    @Test
    void usesASessionAdvisoryLockInsteadOfTheLockTable() throws Exception {
        Migrations.update(migrations, "guard/allowed.xml");
        assertThat(query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'databasechangeloglock'"))
                .isEqualTo("0");
        assertThat(query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).as("released after the update")
                .isEqualTo("0");
    }

    private List<String> ranChangeSets() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

}
