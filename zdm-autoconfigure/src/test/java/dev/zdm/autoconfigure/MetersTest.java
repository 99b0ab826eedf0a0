package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.columnchange.MirrorSql;
import dev.zdm.columnchange.SwapTransaction;
import dev.zdm.guard.UnsafeMigrationException;
import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.Jobs;
import dev.zdm.schema.ZdmSchema;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * zdm's meters in a running Boot application with a real Prometheus registry: every meter the shipped Grafana
 * dashboard queries exists, with a description, before anything happened, and moves when its event happens.
 */
@ExtendWith(PostgresExtension.class)
class MetersTest {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "zdm-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bzdm_[a-zA-Z0-9_:]+");

    private final TestDatabase db;

    MetersTest(TestDatabase db) {
        this.db = db;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeEach
    void tables() throws Exception {
        db.execute("DROP TABLE IF EXISTS file, code, zdm_job_reject, zdm_job_slice, zdm_job, zdm_mirror_reject CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL, file_size_zdm bigint)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 2000) g");
        try (Connection connection = db.connect()) {
            ZdmSchema.ensure(connection);
        }
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.main.web-application-type=none",
                "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--spring.liquibase.enabled=false", "--zdm.backfill.poll-interval=100ms"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
    }

    @Test
    void everyMeterOfTheDashboardIsScrapedWithADescriptionBeforeAnyEvent() throws Exception {
        // a job registered before start-up, and never run (jobs off), so nothing has happened to it
        try (Connection connection = db.connect()) {
            Jobs.register(connection, JobDefinition.backfill(null, "file", "file_size_zdm", "file_size::bigint", null, 500,
                    List.of()));
        }
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            String scrape = app.getBean(PrometheusMeterRegistry.class).scrape();
            Set<String> series = seriesNames(scrape);
            Set<String> used = dashboardMetrics();
            assertThat(used).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(12)
                    .contains("zdm_jobs", "zdm_mirror_rejects", "zdm_guard_lock_wait_seconds_max",
                            "zdm_cutover_lock_wait_seconds_max", "zdm_guard_autovacuum_cancelled_total");
            assertThat(series).as("series scraped before any event").containsAll(used);

            for (String name : used) {
                String family = family(name);
                Matcher help = Pattern.compile("(?m)^# HELP (?:" + name + "|" + family + ") (.+)$").matcher(scrape);
                assertThat(help.find()).as("HELP of " + name).isTrue();
                assertThat(help.group(1).trim()).as("description of " + name).hasSizeGreaterThan(20);
            }
            assertThat(scrape).contains("zdm_jobs{state=\"FAILED\"} 0.0").contains("zdm_jobs{state=\"PENDING\"} 1.0")
                    .contains("zdm_backfill_rows_total{job=\"file.file_size_zdm\"} 0.0")
                    .contains("zdm_backfill_throttled_total{job=\"file.file_size_zdm\",reason=\"replication-lag\"} 0.0")
                    .contains("zdm_guard_refused_total{rule=\"column-type-rewrite\"} 0.0")
                    .contains("zdm_mirror_rejects 0.0");
        }
    }

    @Test
    void theMetersMoveWhenTheirEventsHappen() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.guard.scope=all", "--zdm.guard.lock-timeout=100ms",
                "--zdm.cutover.lock-timeout=100ms")) {
            PrometheusMeterRegistry registry = app.getBean(PrometheusMeterRegistry.class);
            DataSource guarded = app.getBean(DataSource.class);

            // a refusal
            try (Connection c = guarded.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("ALTER TABLE file ALTER COLUMN file_size TYPE bigint"))
                        .isInstanceOf(UnsafeMigrationException.class);
            }
            // a guarded DDL that waits for a lock another session holds for 600 ms, and a swap that does the same
            holdLockFor(600, () -> {
                try (Connection c = guarded.getConnection(); Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE file ADD COLUMN note text");
                }
            });
            holdLockFor(600, () -> {
                try (Connection c = guarded.getConnection()) {
                    SwapTransaction.run(c, "test swap of file", List.of("file"), locks -> {
                    });
                }
            });
            // a job failure
            Jobs jobs = app.getBean(Jobs.class);
            jobs.register(JobDefinition.backfill("broken", "file", "no_such_column", "file_size::bigint", null, null, List.of()));
            // and a job that completes
            jobs.register(JobDefinition.backfill(null, "file", "file_size_zdm", "file_size::bigint", null, 500, List.of()));
            for (int i = 0; i < 300 && (jobs.get("broken").map(v -> v.state() != JobState.FAILED).orElse(true)
                    || jobs.get("file.file_size_zdm").map(v -> v.state() != JobState.COMPLETED).orElse(true)); i++) {
                Thread.sleep(100);
            }
            // a mirror reject: the real mirror trigger meets a value that does not convert
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE code (id bigint PRIMARY KEY, code text, code_int integer)");
                for (String sql : MirrorSql.create(new MirrorSql.Spec("code", "code", "code_int", "code::integer",
                        List.of("code"), "id", null, false, false))) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO code (id, code) VALUES (1, '42'), (2, 'forty-two')");
            }

            Thread.sleep(MicrometerJobListener.REFRESH.toMillis() + 200); // the gauges' snapshot is renewed
            String scrape = registry.scrape();
            assertThat(value(scrape, "zdm_guard_refused_total{rule=\"column-type-rewrite\"}")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_guard_lock_retries_total{table=\"file\"}")).isGreaterThanOrEqualTo(2.0);
            assertThat(value(scrape, "zdm_guard_lock_wait_seconds_count{outcome=\"acquired\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(scrape, "zdm_guard_lock_wait_seconds_max{outcome=\"acquired\"}")).isGreaterThan(0.3);
            assertThat(value(scrape, "zdm_cutover_lock_wait_seconds_count{outcome=\"acquired\"}")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_cutover_lock_wait_seconds_max{outcome=\"acquired\"}")).isGreaterThan(0.3);
            assertThat(value(scrape, "zdm_jobs{state=\"FAILED\"}")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_mirror_rejects")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_jobs{state=\"COMPLETED\"}")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_backfill_progress{job=\"file.file_size_zdm\"}")).isEqualTo(1.0);
            assertThat(value(scrape, "zdm_backfill_rows_total{job=\"file.file_size_zdm\"}")).isGreaterThanOrEqualTo(2000.0);
            assertThat(value(scrape, "zdm_backfill_batch_seconds_count{job=\"file.file_size_zdm\"}")).isGreaterThanOrEqualTo(4.0);
            assertThat(registry.scrape()).as("the job registered after start-up has its meters from the next scrape")
                    .contains("zdm_backfill_progress{job=\"broken\"}")
                    .contains("zdm_backfill_rows_total{job=\"broken\"} 0.0");
        }
    }

    @Test
    void aFailingDatabaseNeverBreaksTheScrape() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            PrometheusMeterRegistry registry = app.getBean(PrometheusMeterRegistry.class);
            db.execute("INSERT INTO zdm_mirror_reject (table_name, target_column, row_key) VALUES ('t', 'c', '1')");
            Thread.sleep(MicrometerJobListener.REFRESH.toMillis() + 200);
            assertThat(value(registry.scrape(), "zdm_mirror_rejects")).isEqualTo(1.0);
            db.execute("DROP TABLE zdm_mirror_reject, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                    "CREATE TABLE zdm_job (name int)"); // the snapshot's query now fails (no state column)
            Thread.sleep(MicrometerJobListener.REFRESH.toMillis() + 200);
            String scrape = registry.scrape();
            assertThat(value(scrape, "zdm_mirror_rejects")).as("the last value is kept").isEqualTo(1.0);
            assertThat(scrape).contains("zdm_jobs{state=\"FAILED\"}");
        }
    }

    @Test
    void aBlockedJobTableNeverHoldsTheScrapeLongerThanASecond() throws Exception {
        // a job exists, so its progress gauge is scraped too: that gauge must not query the locked table either
        try (Connection connection = db.connect()) {
            Jobs.register(connection, JobDefinition.backfill(null, "file", "file_size_zdm", "file_size::bigint", null, 500,
                    List.of()));
        }
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            PrometheusMeterRegistry registry = app.getBean(PrometheusMeterRegistry.class);
            try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                s.execute("LOCK TABLE zdm_job IN ACCESS EXCLUSIVE MODE"); // the snapshot's SELECT waits behind it
                Thread.sleep(MicrometerJobListener.REFRESH.toMillis() + 200);
                long start = System.nanoTime();
                String scrape = registry.scrape();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).as("scrape time with the job table locked, ms").isLessThan(
                        MicrometerJobListener.SCRAPE_WAIT.toMillis() + 500);
                assertThat(value(scrape, "zdm_jobs{state=\"FAILED\"}")).isEqualTo(0.0);
                assertThat(value(scrape, "zdm_jobs{state=\"PENDING\"}")).as("the last snapshot's values").isEqualTo(1.0);
                assertThat(value(scrape, "zdm_backfill_progress{job=\"file.file_size_zdm\"}")).isEqualTo(0.0);
                blocker.rollback();
            }
        }
    }

    private void holdLockFor(long millis, SqlAction action) throws Exception {
        try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE file IN ACCESS SHARE MODE");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(millis);
                    blocker.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            action.run();
            release.join();
        }
    }

    interface SqlAction {
        void run() throws Exception;
    }

    /** The metric names in every {@code expr} and templating query of the dashboard. */
    @SuppressWarnings("unchecked")
    private static Set<String> dashboardMetrics() throws Exception {
        Map<String, Object> dashboard = JsonParserFactory.getJsonParser().parseMap(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        for (Object panel : (List<Object>) dashboard.get("panels")) {
            for (Object target : (List<Object>) ((Map<String, Object>) panel).get("targets")) {
                queries.add((String) ((Map<String, Object>) target).get("expr"));
            }
        }
        for (Object variable : (List<Object>) ((Map<String, Object>) dashboard.get("templating")).get("list")) {
            if (!"datasource".equals(((Map<String, Object>) variable).get("type"))) {
                queries.add((String) ((Map<String, Object>) variable).get("query"));
            }
        }
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The metric family of a series per Prometheus naming: without {@code _total/_count/_sum/_bucket}. */
    private static String family(String series) {
        return series.replaceAll("_(total|count|sum|bucket)$", "");
    }

    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no series " + series + " in the scrape:\n" + scrape);
    }
}
