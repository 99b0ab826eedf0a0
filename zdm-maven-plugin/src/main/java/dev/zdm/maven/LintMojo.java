package dev.zdm.maven;

import dev.zdm.lint.LintCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn dev.zdm:zdm-maven-plugin:lint -Dzdm.changelog=src/main/resources/db/changelog/master.xml [-Dzdm.since=origin/main]
 * [-Dzdm.format=text|json|github|sarif]}: the same lint as the CLI. Fails the build on findings of severity error.
 */
@Mojo(name = "lint", requiresProject = false, threadSafe = true)
public class LintMojo extends AbstractMojo {

    /** The master changelog. */
    @Parameter(property = "zdm.changelog", required = true)
    private File changelog;

    /** Only changesets new since the merge-base of this git ref and HEAD are judged. */
    @Parameter(property = "zdm.since")
    private String since;

    /** Output format. */
    @Parameter(property = "zdm.format", defaultValue = "text")
    private String format;

    /** Directory the changelog's paths are relative to (default: its src/main/resources, else its directory). */
    @Parameter(property = "zdm.root")
    private File root;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LintCommand.run(changelog.toPath(), root == null ? null : root.toPath(), since, format, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit == 2) {
            throw new MojoExecutionException(err.toString(StandardCharsets.UTF_8).strip());
        }
        if (exit == 1) {
            throw new MojoFailureException("zdm lint found unsafe changesets (see above)");
        }
    }
}
