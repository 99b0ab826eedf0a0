package dev.zdm.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TestPostgresTest {

    private final TestDatabase db;

    TestPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void talksToARealPostgresqlOfTheSelectedMajorVersion() throws SQLException {
        String version = queryString(db, "SELECT version()");
        int major = Integer.parseInt(queryString(db, "SELECT current_setting('server_version_num')")) / 10000;

        assertThat(version).startsWith("PostgreSQL ");
        assertThat(TestPostgres.shared().majorVersion()).isEqualTo(major);
        if (TestPostgres.shared().source() != TestPostgres.Source.JDBC_URL) {
            assertThat(major).as("-Dzdm.test.pg selects the server's major version")
                    .isEqualTo(TestPostgres.requestedMajor());
        }
    }

    @Test
    void givesEachTestClassItsOwnEmptyDatabase() throws SQLException {
        assertThat(queryString(db, "SELECT current_database()")).isEqualTo(db.name()).contains("testpostgrestest");
        assertThat(queryString(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public'")).isEqualTo("0");
    }

    @Test
    void dropsADatabaseWhenItIsClosedEvenWithSessionsOpen() throws SQLException {
        TestDatabase extra = TestPostgres.shared().createDatabase("dropped");
        try (Connection open = extra.connect()) {
            extra.close();
            assertThat(databaseExists(extra.name())).isFalse();
            assertThat(open.isValid(2)).isFalse();
        }
    }

    @Test
    void runsTheSessionInATimeZoneThatIsNotUtc() throws SQLException {
        String zone = queryString(db, "SHOW TimeZone");
        assertThat(zone).isNotIn("UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z");
        assertThat(queryString(db, "SELECT extract(timezone FROM now())::int")).isNotEqualTo("0");
    }

    @Test
    void honoursZdmTestJdbcUrlBeforeAnythingElse() throws SQLException {
        // A database that exists only on this JVM's server: the harness must use exactly this URL.
        TestDatabase marker = TestPostgres.shared().createDatabase("marker");
        try {
            Map<String, String> env = new HashMap<>();
            env.put(TestPostgres.URL_VARIABLE, marker.jdbcUrl() + (marker.jdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + marker.user() + (marker.password() == null ? "" : "&password=" + marker.password()));
            TestPostgres given = TestPostgres.start(env, 14, () -> {
                throw new AssertionError("Docker must not be asked when ZDM_TEST_JDBC_URL is set");
            });

            assertThat(given.source()).isEqualTo(TestPostgres.Source.JDBC_URL);
            try (Connection connection = given.adminConnection(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(marker.name());
            }
            try (TestDatabase created = given.createDatabase("via_url")) {
                assertThat(databaseExists(created.name())).isTrue();
            }
            given.stop(); // a server given by URL is never stopped by the harness
            assertThat(queryString(marker, "SELECT 1")).isEqualTo("1");
        } finally {
            marker.close();
        }
    }

    @Test
    void choosesTheUrlThenDockerThenEmbedded() {
        assertThat(TestPostgres.choose(Map.of(TestPostgres.URL_VARIABLE, "jdbc:postgresql://h/db"), () -> true))
                .isEqualTo(TestPostgres.Source.JDBC_URL);
        assertThat(TestPostgres.choose(Map.of(TestPostgres.URL_VARIABLE, " "), () -> true))
                .isEqualTo(TestPostgres.Source.TESTCONTAINERS);
        assertThat(TestPostgres.choose(Map.of(), () -> false)).isEqualTo(TestPostgres.Source.EMBEDDED);
    }

    @Test
    void parsesJdbcUrlsAndRejectsOthersClearly() {
        PostgresAddress address = PostgresAddress.parse(
                "jdbc:postgresql://db.local:6543/app?user=u&password=p%26w&sslmode=disable", null, null);
        assertThat(address).isEqualTo(new PostgresAddress("db.local", 6543, "app", "u", "p&w", "sslmode=disable"));
        assertThat(address.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/other?sslmode=disable");
        assertThat(PostgresAddress.parse("jdbc:postgresql://h/app", "x", "y").port()).isEqualTo(5432);

        assertThatThrownBy(() -> PostgresAddress.parse("jdbc:mysql://h/app", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> PostgresAddress.parse("jdbc:postgresql://h:5432/", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name one host and a database");
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = TestPostgres.shared().adminConnection();
                var ps = connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    private static String queryString(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
