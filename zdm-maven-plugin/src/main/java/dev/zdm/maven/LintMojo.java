package dev.zdm.maven;

import dev.zdm.lint.FailOn;
import dev.zdm.lint.LintCommand;
import dev.zdm.lint.LintException;
import dev.zdm.lint.LintOptions;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn dev.zdm:zdm-maven-plugin:lint -Dzdm.changelog=src/main/resources/db/changelog/master.xml [-Dzdm.since=origin/main]
 * [-Dzdm.format=text|json|github|sarif] [-Dzdm.failOn=error|not-judged|warning]}: the same lint as the CLI, with the
 * project's runtime classpath (its {@code customChange} classes, run {@code compile} first). Fails the build on
 * findings of severity error (or as {@code failOn} says).
 */
@Mojo(name = "lint", requiresProject = false, threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
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

    /** What fails the build: {@code error} (findings of severity error), {@code not-judged} also, or {@code warning}. */
    @Parameter(property = "zdm.failOn", defaultValue = "error")
    private String failOn;

    /** The project's classes and dependencies, where the lint finds {@code customChange} classes. */
    @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true)
    private List<String> classpathElements;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailOn fail;
        try {
            fail = FailOn.parse(failOn == null ? "error" : failOn);
        } catch (LintException e) {
            throw new MojoExecutionException("zdm.failOn: " + e.getMessage());
        }
        List<Path> classpath = new ArrayList<>();
        if (classpathElements != null) {
            for (String element : classpathElements) {
                if (new File(element).exists()) {
                    classpath.add(Path.of(element));
                }
            }
        }
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = LintCommand.run(new LintOptions(changelog.toPath(), root == null ? null : root.toPath(), since, format, fail,
                classpath), System.out, errors);
        String messages = err.toString(StandardCharsets.UTF_8).strip();
        if (exit != 2 && !messages.isEmpty()) {
            getLog().info(messages);
        }
        if (exit == 2) {
            throw new MojoExecutionException(messages);
        }
        if (exit == 1) {
            throw new MojoFailureException("zdm lint found unsafe changesets (see above)");
        }
    }
}
