package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar is self-contained: {@code java -jar zdm-cli/target/zdm-cli.jar lint ...} works on its own. */
class CliJarIT {

    @Test
    void theSelfContainedJarLintsAChangelog(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("changelog.sql"), """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                INSERT INTO file (file_size) VALUES (1);
                CREATE INDEX file_size_idx ON file (file_size);
                """);
        Path jar = Path.of(System.getProperty("zdm.cli.jar", "target/zdm-cli.jar"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toAbsolutePath().toString(), "lint", "--changelog", dir.resolve("changelog.sql").toString(), "--format", "json")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("\"rule\":\"create-index-blocking\"");
    }
}
