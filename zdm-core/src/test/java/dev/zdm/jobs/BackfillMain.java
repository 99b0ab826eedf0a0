package dev.zdm.jobs;

import java.time.Duration;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** A separate JVM that runs jobs and can be killed: {@code BackfillMain <jdbcUrl> <user> <leaseMillis>}. */
public final class BackfillMain {

    private BackfillMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        JobSettings settings = JobSettings.defaults().unthrottled().withBatch(500, Duration.ofMillis(50))
                .withPollInterval(Duration.ofMillis(50)).withLease(Duration.ofMillis(Long.parseLong(args[2])))
                .withMaxRowsPerSecond(30_000); // slow enough to be killed mid-run
        new JobRunner(dataSource, settings, JobListener.NONE, List.of()).drain(Duration.ofMinutes(5));
    }
}
