package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn dev.zdm:zdm-maven-plugin:jobs-cancel -Dzdm.url=JDBC -Dzdm.job=NAME}: as the Java API's {@code cancel}. */
@Mojo(name = "jobs-cancel", requiresProject = false, threadSafe = true)
public class JobsCancelMojo extends AbstractJobsMojo {

    /** The job's name (see jobs-list). */
    @Parameter(property = "zdm.job", required = true)
    String job;

    @Override
    List<String> command() {
        return List.of("cancel", job);
    }
}
