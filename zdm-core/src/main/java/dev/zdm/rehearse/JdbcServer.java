package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A server given by a JDBC URL ({@code --url}): its databases are reached by replacing the URL's database name. */
public final class JdbcServer implements RehearsalServer {

    private final String prefix;
    private final String database;
    private final String suffix;
    private final String username;
    private final String password;

    public JdbcServer(String url, String username, String password) {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw new RehearsalException("--url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), not '"
                    + url + "'");
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        if (slash < 0 || slash == base.length() - 1) {
            throw new RehearsalException("--url names no database: " + url + " (add /DATABASE after host:port)");
        }
        this.prefix = base.substring(0, slash + 1);
        this.database = base.substring(slash + 1);
        this.suffix = query < 0 ? "" : url.substring(query);
        this.username = username;
        this.password = password;
    }

    @Override
    public Connection connect(String name) throws SQLException {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "zdm-rehearse");
        return DriverManager.getConnection(prefix + name + suffix, properties);
    }

    @Override
    public String adminDatabase() {
        return database;
    }

    @Override
    public String describe() {
        return prefix + database;
    }

    @Override
    public boolean embedded() {
        return false;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
