package dev.zdm.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL server of a test JVM, and fresh databases on it.
 *
 * <p>The server is chosen once, in this order:
 * <ol>
 *   <li>{@code ZDM_TEST_JDBC_URL} (with optional {@code ZDM_TEST_USER}, {@code ZDM_TEST_PASSWORD}) when set:
 *       an existing server; its user must be allowed to {@code CREATE DATABASE};</li>
 *   <li>Testcontainers ({@code postgres:<major>}) when a Docker engine answers;</li>
 *   <li>zonky embedded PostgreSQL, whose binaries are a Maven dependency.</li>
 * </ol>
 * The major version for the last two is the system property {@code zdm.test.pg} (default
 * {@value #DEFAULT_MAJOR}); the build selects the matching embedded binaries with {@code -Dzdm.test.pg=N}.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "ZDM_TEST_JDBC_URL";
    public static final String USER_VARIABLE = "ZDM_TEST_USER";
    public static final String PASSWORD_VARIABLE = "ZDM_TEST_PASSWORD";
    public static final String MAJOR_PROPERTY = "zdm.test.pg";
    public static final int DEFAULT_MAJOR = 18;

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
    private static final AtomicInteger databaseCounter = new AtomicInteger();

    /** Where a server came from. */
    public enum Source {
        JDBC_URL, TESTCONTAINERS, EMBEDDED
    }

    private final Source source;
    private final PostgresAddress admin;
    private final AutoCloseable owned;
    private final int serverMajor;
    private final String runId = Long.toString(ProcessHandle.current().pid(), 36);

    private TestPostgres(Source source, PostgresAddress admin, AutoCloseable owned) {
        this.source = source;
        this.admin = admin;
        this.owned = owned;
        this.serverMajor = queryMajor();
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static TestPostgres shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final TestPostgres INSTANCE = start(System.getenv(), requestedMajor(), TestPostgres::dockerAnswers);

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::stop, "zdm-test-postgres-stop"));
        }
    }

    /** Decides where the server comes from; pure, so the order can be tested. */
    public static Source choose(Map<String, String> env, BooleanSupplier dockerAnswers) {
        String url = env.get(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return Source.JDBC_URL;
        }
        return dockerAnswers.getAsBoolean() ? Source.TESTCONTAINERS : Source.EMBEDDED;
    }

    /** Starts (or connects to) a server as {@link #choose} decides. Callers own the result: {@link #stop()} it. */
    public static TestPostgres start(Map<String, String> env, int major, BooleanSupplier dockerAnswers) {
        Source source = choose(env, dockerAnswers);
        TestPostgres server = switch (source) {
            case JDBC_URL -> new TestPostgres(source,
                    PostgresAddress.parse(env.get(URL_VARIABLE), env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE)),
                    null);
            case TESTCONTAINERS -> {
                ContainerServer container = ContainerServer.start(major);
                yield new TestPostgres(source, container.admin(), container);
            }
            case EMBEDDED -> {
                EmbeddedServer embedded = EmbeddedServer.start();
                yield new TestPostgres(source, embedded.admin(), embedded);
            }
        };
        log.info("zdm tests use PostgreSQL {} from {} at {}", server.serverMajor, source, server.admin);
        return server;
    }

    /** The major version asked for with {@code -Dzdm.test.pg}. */
    public static int requestedMajor() {
        String value = System.getProperty(MAJOR_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAJOR;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + MAJOR_PROPERTY + " must be a PostgreSQL major version "
                    + "(14, 15, 16, 17 or 18), not '" + value + "'", e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return ContainerServer.dockerAnswers();
        } catch (Throwable e) { // Testcontainers absent or broken: no Docker for us
            return false;
        }
    }

    public Source source() {
        return source;
    }

    /** Address of the database the harness administers the server from. */
    public PostgresAddress admin() {
        return admin;
    }

    /** The server's major version, read from {@code server_version_num}. */
    public int majorVersion() {
        return serverMajor;
    }

    /**
     * Creates an empty database (from {@code template1}) with a unique name. Close it to drop it.
     *
     * @param hint readable part of the name, e.g. the test class's simple name
     */
    public TestDatabase createDatabase(String hint) {
        String clean = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (clean.length() > 30) {
            clean = clean.substring(0, 30);
        }
        String name = "zdm_" + runId + "_" + databaseCounter.incrementAndGet() + "_" + clean;
        adminExecute("CREATE DATABASE \"" + name + "\" TEMPLATE template1");
        return new TestDatabase(this, admin.withDatabase(name));
    }

    void dropDatabase(String name) {
        adminExecute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
    }

    /** A new connection to the admin database. */
    public Connection adminConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", admin.user());
        if (admin.password() != null) {
            props.setProperty("password", admin.password());
        }
        return DriverManager.getConnection(admin.jdbcUrl(), props);
    }

    private void adminExecute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test server " + admin + " refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    private int queryMajor() {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the test PostgreSQL at " + admin + ": " + e.getMessage(), e);
        }
    }

    /** Stops a server the harness started; a server given by URL is left running. */
    public void stop() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                log.warn("Stopping the test PostgreSQL failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "TestPostgres[" + source + ", PostgreSQL " + serverMajor + ", " + admin + "]";
    }
}
