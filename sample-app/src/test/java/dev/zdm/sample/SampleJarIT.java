package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's command, {@code java -jar sample-app/target/sample-app.jar} with no arguments, answers health UP. */
class SampleJarIT {

    @Test
    void theBuiltJarStartsWithNoArgumentsAndAnswersHealthUp(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        assertThat(jar).exists();
        int port = freePort();
        Path log = dir.resolve("sample.log");
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // No arguments: the port comes from the environment only so that a busy 8080 cannot fail the build.
        command.environment().put("SERVER_PORT", Integer.toString(port));
        Process app = command.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            String body = null;
            Instant deadline = Instant.now().plusSeconds(180);
            while (body == null && app.isAlive() && Instant.now().isBefore(deadline)) {
                try {
                    HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        body = response.body();
                    }
                } catch (IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertThat(body).as("health of the sample jar; its log:%n%s", Files.readString(log))
                    .isNotNull().contains("\"status\":\"UP\"");
            assertThat(Files.readString(log)).contains("Embedded PostgreSQL listening on port");
        } finally {
            app.destroy();
            if (!app.waitFor(60, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
