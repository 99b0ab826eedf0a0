package dev.zdm.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/** {@code mvn dev.zdm:zdm-maven-plugin:jobs-list -Dzdm.url=JDBC}: every zdm job with its state and progress. */
@Mojo(name = "jobs-list", requiresProject = false, threadSafe = true)
public class JobsListMojo extends AbstractJobsMojo {

    @Override
    List<String> command() {
        return List.of("list");
    }
}
