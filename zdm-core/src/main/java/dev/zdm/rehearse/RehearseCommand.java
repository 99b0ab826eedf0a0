package dev.zdm.rehearse;

import dev.zdm.lint.GitHistory;
import dev.zdm.lint.LintException;
import dev.zdm.lint.Linter;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code rehearse --changelog PATH ...}, shared by the CLI and the Maven plugin: checks every option before anything
 * starts, picks the new changesets (the lint's git logic), gets a server (embedded, or {@code --url}), rehearses on two
 * new databases ({@code --rows} and a tenth of it, dropped at the end) and prints the report. Exit 0 ok, 1 a changeset
 * blocks, 2 usage, parse or server errors.
 */
public final class RehearseCommand {

    public static final String USAGE = "usage: rehearse --changelog PATH [--since GIT_REF] [--root DIR] [--rows N]"
            + " [--stats FILE] [--max-block DURATION] [--format text|json] [--pg 14|15|16|17|18]"
            + " [--url JDBC --username U --password P (or ZDM_PASSWORD) [--allow-data]] [--parameter NAME=VALUE]... [--classpath PATHS]";

    private RehearseCommand() {
    }

    /** Parses the command line (without the word {@code rehearse}); a bad option is a {@link RehearsalException}. */
    public static RehearsalOptions parse(String[] args, Map<String, String> environment) {
        Path changelog = null;
        Path root = null;
        String since = null;
        long rows = RehearsalOptions.DEFAULT_ROWS;
        Path stats = null;
        Duration maxBlock = RehearsalOptions.DEFAULT_MAX_BLOCK;
        String format = "text";
        int pg = RehearsalOptions.DEFAULT_PG;
        String url = null;
        String username = null;
        String password = environment.get("ZDM_PASSWORD");
        boolean allowData = false;
        List<Path> classpath = new ArrayList<>();
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--allow-data")) {
                allowData = true;
                continue;
            }
            if (!option.startsWith("--") || i + 1 >= args.length) {
                throw new RehearsalException(option.startsWith("--") ? option + " needs a value"
                        : "unexpected argument '" + option + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--changelog" -> changelog = Path.of(value);
                case "--root" -> root = Path.of(value);
                case "--since" -> since = value;
                case "--rows" -> rows = positive(option, value);
                case "--stats" -> stats = Path.of(value);
                case "--max-block" -> maxBlock = duration(option, value);
                case "--format" -> format = value;
                case "--pg" -> pg = (int) positive(option, value);
                case "--url" -> url = value;
                case "--username" -> username = value;
                case "--password" -> password = value;
                case "--parameter" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new RehearsalException("--parameter takes NAME=VALUE, not '" + value + "'");
                    }
                    parameters.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--classpath" -> {
                    for (String entry : value.split(File.pathSeparator)) {
                        if (!entry.isBlank()) {
                            classpath.add(Path.of(entry));
                        }
                    }
                }
                default -> throw new RehearsalException("unknown option '" + option + "'");
            }
        }
        return new RehearsalOptions(changelog, root, since, rows, stats, maxBlock, format, pg, url, username, password,
                allowData, classpath, parameters);
    }

    /** Parses and runs; see {@link #run(RehearsalOptions, Function, PrintStream, PrintStream)}. */
    public static int run(String[] args, Function<RehearsalOptions, RehearsalServer> embedded, PrintStream out,
            PrintStream err) {
        RehearsalOptions options;
        try {
            options = parse(args, System.getenv());
        } catch (RehearsalException e) {
            err.println("zdm rehearse: " + e.getMessage() + ". " + USAGE);
            return 2;
        }
        return run(options, embedded, out, err);
    }

    /**
     * Runs the rehearsal, prints the report (text, or one JSON document) and the summary (on {@code err} for JSON);
     * {@code embedded} starts the server when there is no {@code --url} (it may throw a {@link RehearsalException}).
     */
    public static int run(RehearsalOptions options, Function<RehearsalOptions, RehearsalServer> embedded, PrintStream out,
            PrintStream err) {
        try {
            RehearsalReport report = rehearse(options, embedded);
            out.print(options.format().equals("json") ? report.json() : report.text());
            (options.format().equals("json") ? err : out).println(report.summary());
            out.flush();
            return report.exitCode();
        } catch (RehearsalException | LintException e) {
            err.println("zdm rehearse: " + e.getMessage());
            return 2;
        }
    }

    /** Checks the options, rehearses and returns the report; nothing is created before every option is checked. */
    public static RehearsalReport rehearse(RehearsalOptions options, Function<RehearsalOptions, RehearsalServer> embedded) {
        long started = System.nanoTime();
        if (!options.format().equals("text") && !options.format().equals("json")) {
            throw new RehearsalException("--format must be text or json, not '" + options.format() + "'. " + USAGE);
        }
        if (options.changelog() == null) {
            throw new RehearsalException("--changelog is required. " + USAGE);
        }
        if (options.url() == null && options.allowData()) {
            throw new RehearsalException("--allow-data only goes with --url. " + USAGE);
        }
        if (options.pg() < 14 || options.pg() > 18) {
            throw new RehearsalException("--pg must be 14, 15, 16, 17 or 18, not " + options.pg());
        }
        Path file = options.changelog().toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new RehearsalException("No changelog file at " + options.changelog());
        }
        ProductionStats stats = null;
        if (options.stats() != null) {
            try {
                stats = ProductionStats.read(options.stats());
            } catch (IOException | RuntimeException e) {
                throw new RehearsalException("--stats " + options.stats() + " cannot be read: " + e.getMessage(), e);
            }
        }
        Path root = options.root() != null ? options.root().toAbsolutePath().normalize() : defaultRoot(file);
        if (!file.startsWith(root)) {
            throw new RehearsalException("The changelog " + file + " is not under --root " + root);
        }
        String path = root.relativize(file).toString().replace('\\', '/');
        ClassLoader classes = classLoader(options.classpath());
        Linter linter = new Linter(classes);
        Set<String> keys = linter.keys(root, path);
        Set<String> fresh = options.since() == null ? keys : GitHistory.newChangeSets(linter, root, path, options.since());
        List<PlannedChangeSet> plan = new ArrayList<>();
        for (String key : keys) {
            plan.add(new PlannedChangeSet(key, fresh.contains(key)));
        }
        try (RehearsalServer server = options.url() != null
                ? new JdbcServer(options.url(), options.username(), options.password()) : embedded.apply(options)) {
            preflight(server, options);
            Migrator migrator = new Migrator(root, path, classes, options.parameters());
            String name = "zdm_rehearse_" + Long.toHexString(System.nanoTime() & 0xffffff);
            List<ChangeSetRun> small = onDatabase(server, name + "_small", migrator, plan, options.smallRows());
            List<ChangeSetRun> large = onDatabase(server, name + "_large", migrator, plan, options.rows());
            Assessment assessment = new Assessment(stats, options.rows(), options.maxBlock());
            List<ChangeSetMeasurement> measured = new ArrayList<>();
            for (int i = 0; i < large.size(); i++) {
                measured.add(assessment.assess(small.get(i), large.get(i)));
            }
            return new RehearsalReport(measured, options.smallRows(), options.rows(), options.maxBlock(), server.describe(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static List<ChangeSetRun> onDatabase(RehearsalServer server, String database, Migrator migrator,
            List<PlannedChangeSet> plan, long rows) {
        execute(server, "CREATE DATABASE " + database);
        try {
            return new DatabaseRun(new Sessions(server, database), migrator, plan, rows).run();
        } catch (RehearsalException e) {
            throw e;
        } catch (Exception e) {
            throw new RehearsalException("The rehearsal on " + database + " failed: " + DatabaseRun.rootMessage(e), e);
        } finally {
            execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Refuses a server whose database holds rows (unless --allow-data) or whose role cannot create databases. */
    private static void preflight(RehearsalServer server, RehearsalOptions options) {
        try (Connection connection = server.connect(server.adminDatabase()); Statement st = connection.createStatement()) {
            if (!server.embedded()) {
                String table = Catalog.firstTableWithRows(connection);
                if (table != null && !options.allowData()) {
                    throw new RehearsalException("The server at " + server.describe() + " holds data (table " + table
                            + " has rows): rehearse on an empty staging server, never production. Nothing was changed."
                            + " If you mean it, add --allow-data (the rehearsal only creates and drops its own databases).");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new RehearsalException("The role connected to " + server.describe() + " cannot create databases"
                            + " (the rehearsal runs in two databases of its own, dropped at the end): grant it CREATEDB,"
                            + " or rehearse on the embedded server (no --url). Nothing was changed.");
                }
            }
        } catch (SQLException e) {
            throw new RehearsalException("Cannot connect to " + server.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void execute(RehearsalServer server, String sql) {
        try (Connection connection = server.connect(server.adminDatabase()); Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new RehearsalException(sql + " failed on " + server.describe() + ": " + e.getMessage(), e);
        }
    }

    private static long positive(String option, String value) {
        try {
            long n = Long.parseLong(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new RehearsalException(option + " takes a positive number, not '" + value + "'");
    }

    /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT1S}. */
    static Duration duration(String option, String text) {
        return dev.zdm.jobs.command.Durations.read(text).orElseThrow(() -> new RehearsalException(option
                + " takes a duration such as 200ms, 1s or 2m, not '" + text + "'"));
    }

    static Path defaultRoot(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (dir.endsWith(Path.of("src", "main", "resources"))) {
                return dir;
            }
        }
        return file.getParent();
    }

    private static ClassLoader classLoader(List<Path> classpath) {
        ClassLoader parent = RehearseCommand.class.getClassLoader();
        if (classpath.isEmpty()) {
            return parent;
        }
        java.net.URL[] urls = new java.net.URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classpath.get(i).toAbsolutePath().toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new RehearsalException("--classpath entry " + classpath.get(i) + " is not a path", e);
            }
        }
        return new java.net.URLClassLoader(urls, parent);
    }
}
