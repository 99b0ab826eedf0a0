package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.Jobs;
import dev.zdm.sampleentities.EntityFiles;
import dev.zdm.sampleentities.release1.Release1Entity;
import dev.zdm.sampleentities.release2.Release2Entity;
import dev.zdm.sampleentities.release4.Release4Entity;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The README's "What each release's entity says", against a real PostgreSQL: at every stage of the file_size change
 * (before expand, expanded, cut over, contracted, reverted) an application with release 1's entity ({@code int}),
 * with the entity of releases 2 and 3 (the sample's {@link File}: {@code long}, {@code columnDefinition = "int4"}) and
 * with release 4's ({@code long}) starts with {@code ddl-auto=validate} — or fails — exactly as the runbook says; one
 * that starts writes a file through its repository and reads back every file written at earlier stages, or, for an
 * {@code int} entity on a {@code bigint} column holding a size above 2^31-1, fails at that read.
 */
class FileEntityStagesTest {

    private static final long BIG = 3_000_000_000L;

    private final Map<String, Long> written = new LinkedHashMap<>();
    private final AtomicLong nextSize = new AtomicLong(1_000_000);

    @Test
    void eachReleasesEntityStartsOnTheStagesTheRunbookSaysAndKeepsItsRows() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase("entity_stages")) {
            migrate(db, "--sample.release=1");
            expect(db, "before expand", Starts.YES, Starts.YES, Starts.NO);

            migrate(db, "--sample.release=2");
            expect(db, "expanded", Starts.YES, Starts.YES, Starts.NO);
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM file WHERE file_size_bigint IS DISTINCT FROM file_size",
                    Integer.class)).as("rows saved through the entities while expanded are mirrored").isZero();
            try (ConfigurableApplicationContext release2 = entity(db, Release2Entity.class)) {
                EntityFiles files = release2.getBean(EntityFiles.class);
                int before = jdbc.queryForObject("SELECT count(*) FROM file", Integer.class);
                assertThatThrownBy(() -> files.save("too-big-before-cutover", BIG))
                        .as("a long that does not fit the integer column is refused by PostgreSQL, not cut")
                        .isInstanceOf(DataIntegrityViolationException.class)
                        .satisfies(e -> assertThat(sqlState(e)).isEqualTo("22003"));
                assertThat(jdbc.queryForObject("SELECT count(*) FROM file", Integer.class)).isEqualTo(before);
            }

            try (ConfigurableApplicationContext running = entity(db, Release2Entity.class)) {
                EntityFiles files = running.getBean(EntityFiles.class);
                for (int i = 0; i < 6; i++) {
                    assertThat(files.sizesByChecksum()).containsAllEntriesOf(written); // past pgjdbc's prepareThreshold
                }
                migrate(db, "--sample.release=3");
                files.save("big-after-cutover", BIG);
                written.put("big-after-cutover", BIG);
                for (int i = 0; i < 6; i++) {
                    assertThat(files.sizesByChecksum()).as("a release-2 pod that kept running through the cutover")
                            .containsAllEntriesOf(written);
                }
            }
            expect(db, "cut over", Starts.BUT_CANNOT_READ_BIG_SIZES, Starts.YES, Starts.YES);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM file WHERE file_size <= 2147483647"
                    + " AND file_size_zdm_old IS DISTINCT FROM file_size", Integer.class))
                    .as("rows saved through the entities after the cutover are mirrored back to the old column").isZero();
            assertThat(jdbc.queryForObject("SELECT file_size_zdm_old IS NULL FROM file WHERE checksum = 'big-after-cutover'",
                    Boolean.class)).as("a size that does not fit the old column leaves it NULL, never an error").isTrue();
            try (ConfigurableApplicationContext release2Pod = sample(db, "--sample.release=2", "--zdm.jobs.enabled=false")) {
                assertThat(release2Pod.getBean(FileRepository.class).findAll()).extracting(File::getChecksum)
                        .as("a whole release-2 pod (Liquibase included) restarted after the cutover comes up and reads")
                        .containsAll(written.keySet());
            }

            migrate(db, "--sample.release=4");
            expect(db, "contracted", Starts.BUT_CANNOT_READ_BIG_SIZES, Starts.YES, Starts.YES);
        }
    }

    @Test
    void afterARevertTheEntitiesOfReleasesOneToThreeStartAndReleaseFoursDoesNot() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase("entity_revert")) {
            migrate(db, "--sample.release=1");
            migrate(db, "--sample.release=2");
            expect(db, "expanded", Starts.YES, Starts.YES, Starts.NO);
            migrate(db, "--sample.release=3");
            expect(db, "cut over", Starts.YES, Starts.YES, Starts.YES);
            migrate(db, "--spring.liquibase.change-log=classpath:db/changelog/release-3-reverted.xml");
            assertThat(new JdbcTemplate(db.dataSource()).queryForObject("SELECT format_type(atttypid, atttypmod)"
                    + " FROM pg_attribute WHERE attrelid = 'file'::regclass AND attname = 'file_size'", String.class))
                    .as("the revert swapped back").isEqualTo("integer");
            expect(db, "reverted", Starts.YES, Starts.YES, Starts.NO);
        }
    }

    /** What an application with one release's entity does at a stage. */
    private enum Starts {
        /** Starts, writes and reads every file. */
        YES,
        /** Fails start-up: Hibernate's validation refuses the column's type. */
        NO,
        /** Starts (Hibernate 7 accepts an int field on a bigint column) and writes, but fails to read a size above 2^31-1. */
        BUT_CANNOT_READ_BIG_SIZES
    }

    /** Starts each release's entity against the database as it is now: it starts or fails as expected. */
    private void expect(TestDatabase db, String stage, Starts release1, Starts release2, Starts release4) {
        check(db, stage, Release1Entity.class, release1);
        check(db, stage, Release2Entity.class, release2);
        check(db, stage, Release4Entity.class, release4);
    }

    private void check(TestDatabase db, String stage, Class<?> release, Starts expected) {
        String name = stage + " / " + release.getSimpleName();
        if (expected == Starts.NO) {
            assertThatThrownBy(() -> entity(db, release).close()).as("%s must not start", name)
                    .rootCause().hasMessageContaining("Schema validation: wrong column type encountered in column [file_size]"
                            + " in table [file]");
            return;
        }
        try (ConfigurableApplicationContext app = entity(db, release)) {
            EntityFiles files = app.getBean(EntityFiles.class);
            long size = nextSize.incrementAndGet();
            files.save(name, size);
            written.put(name, size);
            if (expected == Starts.BUT_CANNOT_READ_BIG_SIZES) {
                assertThatThrownBy(files::sizesByChecksum).as("%s reading a file of %d bytes", name, BIG)
                        .rootCause().hasMessageContaining("Bad value for type int : " + BIG);
                return;
            }
            Map<String, Long> read = files.sizesByChecksum();
            assertThat(read).as("%s reads every file written at this and earlier stages", name)
                    .containsAllEntriesOf(written);
        }
    }

    /** An application with only the given release's entity and repository; the schema is as the stages left it. */
    private static ConfigurableApplicationContext entity(TestDatabase db, Class<?> release) {
        return new SpringApplicationBuilder(release).web(WebApplicationType.NONE).run(datasource(db,
                "--spring.liquibase.enabled=false", "--zdm.jobs.enabled=false", "--spring.jpa.hibernate.ddl-auto=validate",
                "--spring.jpa.open-in-view=false"));
    }

    /** Runs the sample at a release: its Liquibase changelog, then its job runner until every job is COMPLETED. */
    private static void migrate(TestDatabase db, String... args) throws InterruptedException {
        try (ConfigurableApplicationContext app = sample(db, args)) {
            Jobs jobs = app.getBean(Jobs.class);
            for (int i = 0; i < 600 && !jobs.list().stream().allMatch(j -> j.state() == JobState.COMPLETED); i++) {
                Thread.sleep(100);
            }
            assertThat(jobs.list()).allSatisfy(j -> assertThat(j.state()).as(j.name()).isEqualTo(JobState.COMPLETED));
        }
    }

    private static ConfigurableApplicationContext sample(TestDatabase db, String... args) {
        return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE).run(datasource(db, args));
    }

    private static String[] datasource(TestDatabase db, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--spring.datasource.url=" + db.jdbcUrl() + "?autosave=conservative";
        all[1] = "--spring.datasource.username=" + db.user();
        all[2] = "--spring.datasource.password=" + (db.password() == null ? "" : db.password());
        all[3] = "--zdm.backfill.poll-interval=200ms";
        System.arraycopy(args, 0, all, 4, args.length);
        return all;
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
