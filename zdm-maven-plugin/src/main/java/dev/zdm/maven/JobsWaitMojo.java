package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn dev.zdm:zdm-maven-plugin:jobs-wait -Dzdm.url=JDBC -Dzdm.ready=file.file_size [-Dzdm.timeout=30m]}: passes once
 * the expand pipeline of that column change is COMPLETED; fails on timeout or a FAILED job. The gate before the cutover
 * release.
 */
@Mojo(name = "jobs-wait", requiresProject = false, threadSafe = true)
public class JobsWaitMojo extends AbstractJobsMojo {

    /** {@code TABLE.COLUMN} of the column change. */
    @Parameter(property = "zdm.ready", required = true)
    String ready;

    /** How long to wait, e.g. {@code 30m}. */
    @Parameter(property = "zdm.timeout", defaultValue = "1h")
    String timeout = "1h";

    @Override
    List<String> command() {
        return List.of("wait", "--ready", ready, "--timeout", timeout);
    }
}
