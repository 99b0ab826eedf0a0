package dev.zdm.maven;

import dev.zdm.rehearse.StatsCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn dev.zdm:zdm-maven-plugin:stats -Dzdm.url=JDBC -Dzdm.output=stats.txt}: production row counts per table. */
@Mojo(name = "stats", requiresProject = false, threadSafe = true)
public class StatsMojo extends AbstractMojo {

    /** The database's JDBC URL, e.g. {@code jdbc:postgresql://db:5432/app}. */
    @Parameter(property = "zdm.url", required = true)
    String url;

    /** Database user. */
    @Parameter(property = "zdm.username")
    String username;

    /** Database password (else the {@code ZDM_PASSWORD} environment variable). */
    @Parameter(property = "zdm.password")
    String password;

    /** The stats file to write; standard output when not set. */
    @Parameter(property = "zdm.output")
    File output;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        List<String> args = new ArrayList<>(List.of("--url", url));
        if (username != null) {
            args.addAll(List.of("--username", username));
        }
        if (password != null) {
            args.addAll(List.of("--password", password));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (Writer out = output == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(output.toPath(), StandardCharsets.UTF_8)) {
            exit = StatsCommand.run(args.toArray(String[]::new), System.getenv(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MojoExecutionException("zdm stats: cannot write " + output + ": " + e.getMessage(), e);
        }
        String message = err.toString(StandardCharsets.UTF_8).strip();
        if (exit == StatsCommand.USAGE_ERROR) {
            throw new MojoExecutionException(message);
        }
        if (exit != StatsCommand.OK) {
            throw new MojoFailureException(message);
        }
        if (!message.isEmpty()) {
            getLog().info(message);
        }
    }
}
