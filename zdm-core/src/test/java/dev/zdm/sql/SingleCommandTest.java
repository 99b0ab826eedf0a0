package dev.zdm.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** zdm's server-side checks send spliced text as exactly one command, and describing it never runs it. */
@ExtendWith(PostgresExtension.class)
class SingleCommandTest {

    private final TestDatabase db;

    SingleCommandTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void victim() {
        db.execute("DROP TABLE IF EXISTS victim", "CREATE TABLE victim (id int)", "INSERT INTO victim VALUES (1), (2), (3)");
    }

    @Test
    void aPlainStatementRunsWhatFollowsASemicolonWhichIsWhyChecksDoNotUseOne() throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("EXPLAIN SELECT NULL::bigint; DROP TABLE victim");
        }
        assertThat(victimRows()).as("pgjdbc split it and ran both").isEqualTo(-1);
    }

    @Test
    void refusesWhatTheDriverWouldSendAsTwoStatementsBeforeSendingAnything() throws Exception {
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SingleCommand.describe(connection, "SELECT NULL::bigint; DROP TABLE victim"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("would send 2 statements");
            assertThatThrownBy(() -> SingleCommand.execute(connection, "CREATE TEMP TABLE t (a int); DROP TABLE victim"))
                    .hasMessageContaining("would send 2 statements");
            assertThatThrownBy(() -> SingleCommand.describe(connection, "SELECT 1$$; DROP TABLE victim; SELECT $$"))
                    .as("text pgjdbc and PostgreSQL read differently").isInstanceOf(SQLException.class);
        }
        assertThat(victimRows()).isEqualTo(3);
    }

    @Test
    void describesWithoutExecutingEvenADataModifyingStatement() throws Exception {
        try (Connection connection = db.connect()) {
            SingleCommand.describe(connection, "WITH d AS (DELETE FROM victim RETURNING 1) SELECT count(*) FROM d");
        }
        assertThat(victimRows()).as("parsed and described, never run").isEqualTo(3);
    }

    @Test
    void refusesADataModifyingWithInsideAnExpressionAsPostgreSQLDoes() throws Exception {
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> SingleCommand.describe(connection,
                    "SELECT (WITH d AS (DELETE FROM victim RETURNING 1) SELECT 1)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("data-modifying statement must be at the top level");
        }
        assertThat(victimRows()).isEqualTo(3);
    }

    @Test
    void keepsQuestionMarkOperatorsAndLeavesATransactionUsableAfterAFailedCheck() throws Exception {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            SingleCommand.describe(connection, "SELECT '{\"a\": 1}'::jsonb ? 'a'");
            assertThatThrownBy(() -> SingleCommand.describe(connection, "SELECT no_such_column FROM victim"))
                    .isInstanceOf(SQLException.class);
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the transaction was not aborted").isTrue();
            }
            connection.rollback();
        }
    }

    private long victimRows() throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('victim') IS NULL")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return -1;
            }
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM victim")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
