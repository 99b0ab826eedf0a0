package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn dev.zdm:zdm-maven-plugin:jobs-retry -Dzdm.url=JDBC -Dzdm.job=NAME}: as the Java API's {@code retry}. */
@Mojo(name = "jobs-retry", requiresProject = false, threadSafe = true)
public class JobsRetryMojo extends AbstractJobsMojo {

    /** The job's name (see jobs-list). */
    @Parameter(property = "zdm.job", required = true)
    String job;

    @Override
    List<String> command() {
        return List.of("retry", job);
    }
}
