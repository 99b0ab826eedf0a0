package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The backfills endpoint, health and meters in a running Boot application, over HTTP. */
@ExtendWith(PostgresExtension.class)
class BackfillsEndpointTest {

    private final TestDatabase db;

    BackfillsEndpointTest(TestDatabase db) {
        this.db = db;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL, file_size_zdm bigint)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 5000) g");
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--spring.liquibase.enabled=false", "--zdm.backfill.poll-interval=100ms",
                "--management.endpoints.web.exposure.include=backfills,health,metrics",
                "--management.endpoint.health.show-details=always"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
    }

    @Test
    void listsAndShowsJobsAndRefusesWritesWithoutAccess() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            Jobs jobs = app.getBean(Jobs.class);
            jobs.register(JobDefinition.backfill(null, "file", "file_size_zdm", "file_size::bigint", null, 500, List.of()));
            awaitState(jobs, "file.file_size_zdm", JobState.COMPLETED);

            HttpResponse<String> list = get(app, "/actuator/backfills");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"backfills\":[").contains("\"name\":\"file.file_size_zdm\"")
                    .contains("\"state\":\"COMPLETED\"").contains("\"rowsDone\":5000").contains("\"percent\":100.0")
                    .contains("\"kind\":\"BACKFILL\"").contains("\"table\":\"file\"");
            assertThat(get(app, "/actuator/backfills/file.file_size_zdm").body()).contains("\"rowsTotalEstimate\":5000");
            assertThat(get(app, "/actuator/backfills/nope").statusCode()).isEqualTo(404);
            assertThat(post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"retry\"}").statusCode())
                    .as("write refused without access").isIn(404, 405);
            assertThat(jobs.get("file.file_size_zdm").orElseThrow().state()).isEqualTo(JobState.COMPLETED);

            MeterRegistry meters = app.getBean(MeterRegistry.class);
            assertThat(meters.get("zdm.backfill.rows").tag("job", "file.file_size_zdm").counter().count()).isEqualTo(5000);
            assertThat(meters.get("zdm.backfill.batch").tag("job", "file.file_size_zdm").timer().count()).isPositive();
            // the gauge reads a snapshot of zdm_job refreshed at most every 5 s, off the scrape's thread
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
            while (meters.get("zdm.backfill.progress").tag("job", "file.file_size_zdm").gauge().value() < 1.0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(meters.get("zdm.backfill.progress").tag("job", "file.file_size_zdm").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void pausesAndResumesOverHttpWhereWriteAccessIsGranted() throws Exception {
        try (ConfigurableApplicationContext app = start("--management.endpoint.backfills.access=unrestricted",
                "--zdm.jobs.enabled=false")) {
            Jobs jobs = app.getBean(Jobs.class);
            jobs.register(JobDefinition.backfill(null, "file", "file_size_zdm", "file_size::bigint", null, null, List.of()));

            HttpResponse<String> paused = post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"pause\"}");
            assertThat(paused.statusCode()).isEqualTo(200);
            assertThat(paused.body()).contains("\"state\":\"PAUSED\"");
            assertThat(jobs.get("file.file_size_zdm").orElseThrow().state()).isEqualTo(JobState.PAUSED);
            assertThat(post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"resume\"}").body())
                    .contains("\"state\":\"PENDING\"");
            HttpResponse<String> explode = post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"explode\"}");
            assertThat(explode.statusCode()).isEqualTo(400);
            assertThat(explode.body()).contains("action must be pause, resume, cancel or retry, not 'explode'");
            HttpResponse<String> nope = post(app, "/actuator/backfills/nope", "{\"action\":\"pause\"}");
            assertThat(nope.statusCode()).isEqualTo(404);
            assertThat(nope.body()).contains("nope");
            jobs.pause("file.file_size_zdm");
            HttpResponse<String> twice = post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"pause\"}");
            assertThat(twice.statusCode()).as("the job's state refuses it").isEqualTo(409);
            assertThat(twice.body()).contains("cannot pause a paused job");
        }
    }

    @Test
    void aFailedJobShowsInItsOwnHealthWithoutTakingTheInstanceOutOfService() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            Jobs jobs = app.getBean(Jobs.class);
            jobs.register(JobDefinition.backfill("broken", "file", "no_such_column", "file_size::bigint", null, null, List.of()));
            awaitState(jobs, "broken", JobState.FAILED);

            HttpResponse<String> root = get(app, "/actuator/health");
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).startsWith("{\"components\"").contains("\"JOBS_FAILED\"").endsWith("\"status\":\"UP\"}");
            assertThat(get(app, "/actuator/health/backfills").body()).contains("JOBS_FAILED").contains("no_such_column");
        }
    }

    private static void awaitState(Jobs jobs, String name, JobState state) throws InterruptedException {
        for (int i = 0; i < 300 && jobs.get(name).map(v -> v.state() != state).orElse(true); i++) {
            Thread.sleep(100);
        }
        assertThat(jobs.get(name).orElseThrow().state()).isEqualTo(state);
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ConfigurableApplicationContext app, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return URI.create("http://localhost:" + port + path);
    }
}
