package dev.zdm.rehearse;

import dev.zdm.jobs.command.DriverDataSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code stats --url JDBC [--username U] [--password P]}, shared by the CLI and the Maven plugin: writes the
 * {@link ProductionStats} file of a database (row counts from {@code pg_class.reltuples}, no data read) to
 * {@code out}. The password may also come from {@code ZDM_PASSWORD}. Exit codes: 0 written, 1 the database could not
 * be read, 2 usage (nothing was read).
 */
public final class StatsCommand {

    public static final String USAGE = "usage: stats --url JDBC [--username U] [--password P] (password also from ZDM_PASSWORD)"
            + " > stats.txt";

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE_ERROR = 2;

    private StatsCommand() {
    }

    /** Runs {@code args} (the words after {@code stats}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), new OutputStreamWriter(out, StandardCharsets.UTF_8), err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment given and the file written to {@code out}. */
    public static int run(String[] args, Map<String, String> env, Writer out, PrintStream err) {
        String url = null;
        String username = null;
        String password = env.get("ZDM_PASSWORD");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length || !option.startsWith("--")) {
                err.println("zdm stats: " + (option.startsWith("--") ? option + " needs a value" : "unexpected argument '" + option + "'")
                        + ". " + USAGE);
                return USAGE_ERROR;
            }
            String value = args[++i];
            switch (option) {
                case "--url" -> url = value;
                case "--username" -> username = value;
                case "--password" -> password = value;
                default -> {
                    err.println("zdm stats: unknown option '" + option + "'. " + USAGE);
                    return USAGE_ERROR;
                }
            }
        }
        if (url == null) {
            err.println("zdm stats: --url is required (e.g. --url jdbc:postgresql://db:5432/app). " + USAGE);
            return USAGE_ERROR;
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            err.println("zdm stats: --url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), not '" + url + "'. " + USAGE);
            return USAGE_ERROR;
        }
        CatalogStats stats;
        try (Connection connection = new DriverDataSource(url, username, password).getConnection()) {
            connection.setReadOnly(true);
            stats = CatalogStats.read(connection);
        } catch (SQLException e) {
            err.println("zdm stats: cannot read the catalog of " + url + ": " + e.getMessage());
            return FAILED;
        }
        try {
            stats.write(out);
        } catch (IOException e) {
            err.println("zdm stats: cannot write the stats: " + e.getMessage());
            return FAILED;
        }
        for (String note : stats.notes()) {
            err.println("zdm stats: " + note);
        }
        return OK;
    }
}
