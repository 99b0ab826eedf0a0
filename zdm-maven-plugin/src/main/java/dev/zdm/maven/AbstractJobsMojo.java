package dev.zdm.maven;

import dev.zdm.jobs.command.JobsCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The {@code jobs-*} goals: the CLI's {@code jobs} commands ({@link JobsCommand}) against {@code -Dzdm.url}. Exit code 1
 * (not ready, failed, refused) fails the build; 2 (usage) is a configuration error.
 */
abstract class AbstractJobsMojo extends AbstractMojo {

    /** The database's JDBC URL, e.g. {@code jdbc:postgresql://db:5432/app}. */
    @Parameter(property = "zdm.url", required = true)
    String url;

    /** Database user. */
    @Parameter(property = "zdm.username")
    String username;

    /** Database password (else the {@code ZDM_PASSWORD} environment variable). */
    @Parameter(property = "zdm.password")
    String password;

    /** The words after {@code jobs}: the command and its own options. */
    abstract List<String> command();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        List<String> args = new ArrayList<>(command());
        args.add("--url");
        args.add(url);
        if (username != null) {
            args.add("--username");
            args.add(username);
        }
        if (password != null) {
            args.add("--password");
            args.add(password);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = JobsCommand.run(args.toArray(String[]::new), System.getenv(), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        String message = err.toString(StandardCharsets.UTF_8).strip();
        if (exit == JobsCommand.USAGE_ERROR) {
            throw new MojoExecutionException(message);
        }
        if (exit != JobsCommand.OK) {
            throw new MojoFailureException(message.isEmpty() ? "zdm jobs " + args.get(0) + " did not succeed (see above)" : message);
        }
    }
}
