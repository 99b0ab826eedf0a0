package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The PostgreSQL a rehearsal runs on: an embedded one the CLI or the Maven plugin starts, or a staging server given by
 * {@code --url} ({@link JdbcServer}). The rehearsal creates its two databases there and drops them at the end.
 */
public interface RehearsalServer extends AutoCloseable {

    /** A new connection to {@code database} on this server. */
    Connection connect(String database) throws SQLException;

    /** The database to connect to for {@code CREATE DATABASE}, and the one checked for data. */
    String adminDatabase();

    /** What to call this server in messages ({@code embedded PostgreSQL 18.1}, a URL without its password). */
    String describe();

    /** Whether this server was started for the rehearsal (so nothing on it is the user's). */
    boolean embedded();

    @Override
    void close();
}
