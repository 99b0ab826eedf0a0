package dev.zdm.test;

import java.net.URI;
import java.util.Objects;

/**
 * Where a PostgreSQL server answers and how to log in to it: enough to build a JDBC URL for any
 * database on that server.
 *
 * @param host host name or address
 * @param port TCP port
 * @param database the database the address was given for (the admin database of the harness)
 * @param user user name
 * @param password password, or {@code null}
 * @param query extra JDBC URL parameters without the leading {@code ?} (never user or password),
 *     or an empty string
 */
public record PostgresAddress(String host, int port, String database, String user, String password, String query) {

    public PostgresAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        query = query == null ? "" : query;
    }

    /**
     * Parses a pgjdbc URL such as {@code jdbc:postgresql://host:5432/db?user=u&password=p}. User and
     * password may come from the URL or from the arguments (the arguments win when not null).
     *
     * @throws IllegalArgumentException when the URL is not a single-host pgjdbc URL with a database
     */
    public static PostgresAddress parse(String jdbcUrl, String user, String password) {
        String prefix = "jdbc:postgresql://";
        if (jdbcUrl == null || !jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL (expected " + prefix
                    + "host:port/database): " + jdbcUrl);
        }
        URI uri = URI.create("postgresql://" + jdbcUrl.substring(prefix.length()));
        String path = uri.getPath();
        if (uri.getHost() == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("The JDBC URL must name one host and a database: " + jdbcUrl);
        }
        String urlUser = null;
        String urlPassword = null;
        StringBuilder rest = new StringBuilder();
        String rawQuery = uri.getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                switch (key) {
                    case "user" -> urlUser = value;
                    case "password" -> urlPassword = value;
                    default -> rest.append(rest.isEmpty() ? "" : "&").append(pair);
                }
            }
        }
        String effectiveUser = user != null ? user : urlUser != null ? urlUser : "postgres";
        String effectivePassword = password != null ? password : urlPassword;
        return new PostgresAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.substring(1),
                effectiveUser, effectivePassword, rest.toString());
    }

    /** The same server and credentials, another database. */
    public PostgresAddress withDatabase(String otherDatabase) {
        return new PostgresAddress(host, port, otherDatabase, user, password, query);
    }

    /** A JDBC URL for this address without credentials (pass user and password separately). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public String toString() {
        return jdbcUrl() + " (user " + user + ")";
    }
}
