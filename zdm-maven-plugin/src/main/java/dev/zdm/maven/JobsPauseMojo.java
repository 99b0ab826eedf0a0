package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn dev.zdm:zdm-maven-plugin:jobs-pause -Dzdm.url=JDBC -Dzdm.job=NAME}: as the Java API's {@code pause}. */
@Mojo(name = "jobs-pause", requiresProject = false, threadSafe = true)
public class JobsPauseMojo extends AbstractJobsMojo {

    /** The job's name (see jobs-list). */
    @Parameter(property = "zdm.job", required = true)
    String job;

    @Override
    List<String> command() {
        return List.of("pause", job);
    }
}
