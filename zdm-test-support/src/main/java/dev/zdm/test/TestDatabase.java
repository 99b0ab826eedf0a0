package dev.zdm.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on the test server, created for one test class and dropped after it.
 * Connections come straight from pgjdbc (no pool), so tests see exactly what a driver does.
 */
public final class TestDatabase implements AutoCloseable {

    private final TestPostgres server;
    private final PostgresAddress address;
    private final PGSimpleDataSource dataSource;

    TestDatabase(TestPostgres server, PostgresAddress address) {
        this.server = server;
        this.address = address;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setURL(address.jdbcUrl());
        dataSource.setUser(address.user());
        if (address.password() != null) {
            dataSource.setPassword(address.password());
        }
    }

    /** The database's name. */
    public String name() {
        return address.database();
    }

    /** JDBC URL without credentials; see {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return address.jdbcUrl();
    }

    public String user() {
        return address.user();
    }

    /** The password, or {@code null} when the server needs none. */
    public String password() {
        return address.password();
    }

    public PostgresAddress address() {
        return address;
    }

    /** An unpooled DataSource for this database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A new connection to this database, in auto-commit mode. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** A new connection with extra pgjdbc properties (e.g. {@code autosave}). */
    public Connection connect(Properties extra) throws SQLException {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty("user", address.user());
        if (address.password() != null) {
            props.setProperty("password", address.password());
        }
        return new org.postgresql.Driver().connect(address.jdbcUrl(), props);
    }

    /** Runs each statement in its own auto-committed round trip. */
    public void execute(String... sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Test SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql} as text, or {@code null} when there is no row. */
    public String query(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Drops the database, ending any session still connected to it. */
    @Override
    public void close() {
        server.dropDatabase(address.database());
    }

    @Override
    public String toString() {
        return "TestDatabase[" + address + "]";
    }
}
