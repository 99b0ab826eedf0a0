package dev.zdm.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a Testcontainers container; only loaded when a Docker engine answers. */
final class ContainerServer implements AutoCloseable {

    private final PostgreSQLContainer container;

    private ContainerServer(PostgreSQLContainer container) {
        this.container = container;
    }

    /**
     * Whether a Docker engine answers. Without any hint of one (no {@code DOCKER_HOST}, no
     * {@code ~/.testcontainers.properties}, no socket file) Testcontainers is not asked at all, so
     * machines without Docker start the embedded server without a page of error logs.
     */
    static boolean dockerAnswers() {
        String home = System.getProperty("user.home");
        boolean hinted = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"))
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"));
        return hinted && DockerClientFactory.instance().isDockerAvailable();
    }

    static ContainerServer start(int major) {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + major)
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
        container.start();
        return new ContainerServer(container);
    }

    PostgresAddress admin() {
        return PostgresAddress.parse(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    @Override
    public void close() {
        container.stop();
    }
}
