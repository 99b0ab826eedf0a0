package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn dev.zdm:zdm-maven-plugin:jobs-show -Dzdm.url=JDBC -Dzdm.job=NAME}: one job in full. */
@Mojo(name = "jobs-show", requiresProject = false, threadSafe = true)
public class JobsShowMojo extends AbstractJobsMojo {

    /** The job's name (see jobs-list). */
    @Parameter(property = "zdm.job", required = true)
    String job;

    @Override
    List<String> command() {
        return List.of("show", job);
    }
}
