package dev.zdm.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn dev.zdm:zdm-maven-plugin:jobs-run -Dzdm.url=JDBC [-Dzdm.untilDone=false] [-Dzdm.parallelism=N]}: runs the
 * jobs in this build, by default until none has work left; fails the build if a job did not complete.
 */
@Mojo(name = "jobs-run", requiresProject = false, threadSafe = true)
public class JobsRunMojo extends AbstractJobsMojo {

    /** Whether to stop once no job has work left (else run until the build is stopped). */
    @Parameter(property = "zdm.untilDone", defaultValue = "true")
    boolean untilDone = true;

    /** Worker threads, and slices per backfill (default: zdm.backfill.parallelism's default). */
    @Parameter(property = "zdm.parallelism")
    Integer parallelism;

    @Override
    List<String> command() {
        List<String> args = new ArrayList<>(List.of("run"));
        if (untilDone) {
            args.add("--until-done");
        }
        if (parallelism != null) {
            args.add("--parallelism");
            args.add(parallelism.toString());
        }
        return args;
    }
}
