package dev.zdm.maven;

import dev.zdm.rehearse.RehearsalException;
import dev.zdm.rehearse.RehearsalOptions;
import dev.zdm.rehearse.RehearseCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn dev.zdm:zdm-maven-plugin:rehearse -Dzdm.changelog=src/main/resources/db/changelog/master.xml
 * [-Dzdm.since=origin/main] [-Dzdm.rows=100000] [-Dzdm.stats=FILE] [-Dzdm.maxBlock=1s] [-Dzdm.format=text|json]
 * [-Dzdm.pg=18] [-Dzdm.url=JDBC -Dzdm.username=U -Dzdm.password=P [-Dzdm.allowData=true]]}: the CLI's rehearsal, with
 * the project's runtime classpath. Fails the build when a changeset blocks.
 */
@Mojo(name = "rehearse", requiresProject = false, threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RehearseMojo extends AbstractMojo {

    /** The master changelog. */
    @Parameter(property = "zdm.changelog", required = true)
    private File changelog;

    /** Only changesets new since the merge-base of this git ref and HEAD are rehearsed; the others are applied first. */
    @Parameter(property = "zdm.since")
    private String since;

    /** Directory the changelog's paths are relative to (default: its src/main/resources, else its directory). */
    @Parameter(property = "zdm.root")
    private File root;

    /** Rows per table of the larger rehearsal (the smaller has a tenth). */
    @Parameter(property = "zdm.rows", defaultValue = "100000")
    private long rows;

    /** Production row counts per table ({@code zdm-cli stats}); estimates are given at those sizes. */
    @Parameter(property = "zdm.stats")
    private File stats;

    /** A changeset blocks when writers or readers would wait longer than this ({@code 1s}, {@code 500ms}). */
    @Parameter(property = "zdm.maxBlock", defaultValue = "1s")
    private String maxBlock;

    /** Output format: {@code text} or {@code json}. */
    @Parameter(property = "zdm.format", defaultValue = "text")
    private String format;

    /** PostgreSQL major of the embedded server. */
    @Parameter(property = "zdm.pg", defaultValue = "18")
    private int pg;

    /** A staging server to rehearse on instead of an embedded one. */
    @Parameter(property = "zdm.url")
    private String url;

    /** The staging server's user. */
    @Parameter(property = "zdm.username")
    private String username;

    /** The staging server's password (also from {@code ZDM_PASSWORD}). */
    @Parameter(property = "zdm.password")
    private String password;

    /** Rehearse on {@code url} even though its tables hold rows. */
    @Parameter(property = "zdm.allowData", defaultValue = "false")
    private boolean allowData;

    /** Liquibase changelog parameters ({@code ${name}} in the changelog). */
    @Parameter
    private java.util.Map<String, String> parameters;

    /** The project's classes and dependencies ({@code customChange} classes). */
    @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true)
    private List<String> classpathElements;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Duration block;
        try {
            block = RehearseCommand.parse(new String[] {"--max-block", maxBlock}, java.util.Map.of()).maxBlock();
        } catch (RehearsalException e) {
            throw new MojoExecutionException("zdm.maxBlock: " + e.getMessage());
        }
        List<Path> classpath = new ArrayList<>();
        if (classpathElements != null) {
            for (String element : classpathElements) {
                if (new File(element).exists()) {
                    classpath.add(Path.of(element));
                }
            }
        }
        String secret = password != null ? password : System.getenv("ZDM_PASSWORD");
        RehearsalOptions options = new RehearsalOptions(changelog.toPath(), root == null ? null : root.toPath(), since, rows,
                stats == null ? null : stats.toPath(), block, format, pg, url, username, secret, allowData, classpath,
                parameters);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RehearseCommand.run(options, dev.zdm.rehearse.EmbeddedRehearsalServer::start, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String messages = err.toString(StandardCharsets.UTF_8).strip();
        if (exit == 2) {
            throw new MojoExecutionException(messages);
        }
        if (!messages.isEmpty()) {
            getLog().info(messages);
        }
        if (exit == 1) {
            throw new MojoFailureException("zdm rehearse: a changeset blocks writers or readers longer than " + maxBlock
                    + " (see above)");
        }
    }
}
