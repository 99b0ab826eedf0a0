package dev.zdm.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator page and what the backfills endpoint gives it, in a running Boot application on a real PostgreSQL with
 * jobs a real {@code expandColumnType} registered. (The page in a real browser: {@code OperatorPageBrowserTest}.)
 */
@ExtendWith(PostgresExtension.class)
class OperatorPageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestDatabase db;

    OperatorPageTest(TestDatabase db) {
        this.db = db;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeEach
    void table() {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, zdm_mirror_reject,"
                        + " zdm_schema, databasechangelog, databasechangeloglock CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL)",
                "CREATE INDEX file_checksum_size_idx ON file (checksum, file_size)",
                "INSERT INTO file (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, 3000) g");
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.user(), "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--spring.liquibase.change-log=classpath:db/page/expand.yaml", "--zdm.backfill.poll-interval=100ms",
                "--management.endpoints.web.exposure.include=backfills,health"));
        for (String arg : extra) {
            String key = arg.substring(0, arg.indexOf('=') + 1);
            args.removeIf(a -> a.startsWith(key)); // a repeated argument would be bound as a comma-joined list
            args.add(arg);
        }
        return new SpringApplicationBuilder(App.class).run(args.toArray(String[]::new));
    }

    @Test
    void thePageIsOffByDefault() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            assertThat(get(app, "/actuator/zdm").statusCode()).isEqualTo(404);
            assertThat(app.getBeanNamesForType(ZdmPageAutoConfiguration.class)).isEmpty();
        }
    }

    @Test
    void thePageIsServedUnderTheActuatorBasePathAndReadsTheEndpointThere() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false", "--zdm.page.enabled=true",
                "--management.endpoints.web.base-path=/manage", "--management.endpoints.web.path-mapping.backfills=jobs")) {
            HttpResponse<String> page = get(app, "/manage/zdm");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("var ENDPOINT = '/manage/jobs';").doesNotContain("__ZDM_ENDPOINT__");
            assertThat(get(app, "/manage/jobs").statusCode()).as("the endpoint the page reads").isEqualTo(200);
            assertThat(get(app, "/actuator/zdm").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void thePageIsServedAtAPathTheUserChooses() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false", "--zdm.page.enabled=true",
                "--zdm.page.path=/ops/changes")) {
            HttpResponse<String> page = get(app, "/ops/changes");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("var ENDPOINT = '/actuator/backfills';");
            assertThat(get(app, "/actuator/zdm").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void thePageReadsTheEndpointUnderTheServletContextPath() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false", "--zdm.page.enabled=true",
                "--server.servlet.context-path=/ops")) {
            HttpResponse<String> page = get(app, "/ops/actuator/zdm");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("var ENDPOINT = '/ops/actuator/backfills';");
            assertThat(get(app, "/ops/actuator/backfills").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theEndpointPathCannotEndTheScriptStringOrElement() {
        assertThat(ZdmPage.jsString("/a'b\\c</script><x>&\n\u2028d"))
                .isEqualTo("/a\\u0027b\\u005cc\\u003c/script\\u003e\\u003cx\\u003e\\u0026\\u000a\\u2028d");
        assertThat(ZdmPage.jsString("/actuator/backfills")).isEqualTo("/actuator/backfills");
    }

    @Test
    void aPagePathWithoutALeadingSlashIsRefusedNamingTheProperty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start("--zdm.jobs.enabled=false", "--zdm.page.enabled=true",
                "--zdm.page.path=ops")).hasStackTraceContaining("zdm.page.path must start with '/', not 'ops'");
    }

    @Test
    void theEndpointListsTheColumnChangeAtEachStepWithItsJobsInPipelineOrder() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            JsonNode body = json(get(app, "/actuator/backfills"));
            assertThat(body.get("writable").asBoolean()).isFalse();
            JsonNode change = body.get("columnChanges").get(0);
            assertThat(change.get("table").asString()).isEqualTo("file");
            assertThat(change.get("column").asString()).isEqualTo("file_size");
            assertThat(change.get("from").asString()).isEqualTo("integer");
            assertThat(change.get("to").asString()).isEqualTo("bigint");
            assertThat(change.get("step").asString()).as("registered, nothing started").isEqualTo("EXPANDED");
            List<String> names = new ArrayList<>();
            change.get("jobs").forEach(j -> names.add(j.asString()));
            assertThat(names).hasSizeGreaterThan(1);
            String backfill = names.get(0);
            JsonNode jobs = body.get("backfills");
            assertThat(jobs).hasSize(names.size());
            JsonNode dependant = find(jobs, names.get(names.size() - 1));
            assertThat(dependant.get("dependsOn").size()).isPositive();
            assertThat(dependant.get("waitingFor").size()).as("its dependencies are not COMPLETED yet").isPositive();
            assertThat(find(jobs, backfill).get("kind").asString()).isEqualTo("BACKFILL");
            assertThat(find(jobs, backfill).get("phase").isNull()).as("not running").isTrue();

            Jobs runner = app.getBean(Jobs.class);
            runner.pause(backfill);
            assertThat(json(get(app, "/actuator/backfills")).get("columnChanges").get(0).get("step").asString())
                    .as("a job was acted on").isEqualTo("JOBS");
        }
        try (ConfigurableApplicationContext app = start()) {
            Jobs jobs = app.getBean(Jobs.class);
            jobs.resume(jobs.list().get(0).name());
            for (int i = 0; i < 300 && !jobs.list().stream().allMatch(j -> j.state() == JobState.COMPLETED); i++) {
                Thread.sleep(100);
            }
            JsonNode body = json(get(app, "/actuator/backfills"));
            assertThat(body.get("columnChanges").get(0).get("step").asString()).isEqualTo("READY_FOR_CUTOVER");
            body.get("backfills").forEach(j -> {
                assertThat(j.get("state").asString()).isEqualTo("COMPLETED");
                assertThat(j.get("waitingFor").size()).isZero();
            });
        }
        try (ConfigurableApplicationContext app = start("--spring.liquibase.change-log=classpath:db/page/cutover.yaml")) {
            assertThat(json(get(app, "/actuator/backfills")).get("columnChanges").get(0).get("step").asString())
                    .isEqualTo("CUT_OVER");
        }
        try (ConfigurableApplicationContext app = start("--spring.liquibase.change-log=classpath:db/page/contract.yaml")) {
            JsonNode changes = json(get(app, "/actuator/backfills")).get("columnChanges");
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).get("step").asString()).isEqualTo("CONTRACTED");
        }
    }

    @Test
    void thePageBacksOffOutsideAServletWebApplication() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .web(org.springframework.boot.WebApplicationType.NONE).run("--spring.datasource.url=" + db.jdbcUrl(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                        "--spring.liquibase.change-log=classpath:db/page/expand.yaml", "--zdm.jobs.enabled=false",
                        "--zdm.page.enabled=true")) {
            assertThat(app.containsBean("zdmPage")).isFalse();
            assertThat(app.getBeanNamesForType(BackfillsWriteRefusal.class)).isEmpty();
        }
    }

    @Test
    void writableFollowsBootsOwnAccessResolution() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false",
                "--management.endpoint.backfills.access=unrestricted")) {
            assertThat(json(get(app, "/actuator/backfills")).get("writable").asBoolean()).isTrue();
        }
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false",
                "--management.endpoint.backfills.access=unrestricted", "--management.endpoints.access.max-permitted=read-only")) {
            assertThat(json(get(app, "/actuator/backfills")).get("writable").asBoolean())
                    .as("capped by max-permitted: a POST would not be mapped").isFalse();
            assertThat(post(app, "/actuator/backfills/file.file_size_zdm", "{\"action\":\"pause\"}").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aWriteOnTheReadOnlyEndpointSaysWhyAndHowToAllowIt() throws Exception {
        try (ConfigurableApplicationContext app = start("--zdm.jobs.enabled=false")) {
            String job = app.getBean(Jobs.class).list().get(0).name();
            HttpResponse<String> refused = post(app, "/actuator/backfills/" + job, "{\"action\":\"pause\"}");
            assertThat(refused.statusCode()).isEqualTo(405);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(json(refused).get("error").asString()).contains("read-only")
                    .contains("management.endpoint.backfills.access=unrestricted");
            assertThat(app.getBean(Jobs.class).get(job).orElseThrow().state()).isEqualTo(JobState.PENDING);
            assertThat(post(app, "/actuator/health", "{}").body()).as("other endpoints keep Spring's answer")
                    .doesNotContain("backfills");
        }
    }

    private static JsonNode find(JsonNode jobs, String name) {
        for (JsonNode j : jobs) {
            if (j.get("name").asString().equals(name)) {
                return j;
            }
        }
        throw new AssertionError("no job " + name + " in " + jobs);
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 405);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(ConfigurableApplicationContext app, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(ConfigurableApplicationContext app, String path) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return URI.create("http://localhost:" + port + path);
    }
}
