package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The walk-through end to end: releases 1 → 4 against one database while writers keep writing. */
class SampleReleasesTest {

    private static final int ROWS = 3_000;
    private static final String BIG = "3000000000";

    @Test
    void walksFileSizeFromIntegerToBigintWhileWritersKeepWriting() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase("sample_releases")) {
            try (ConfigurableApplicationContext release1 = start(db, 1)) {
                new JdbcTemplate(db.dataSource()).update("INSERT INTO file (checksum, file_size)"
                        + " SELECT md5(g::text), g FROM generate_series(1, " + ROWS + ") g");
                assertThat(post(release1, "/files", "{\"checksum\":\"big\",\"size\":" + BIG + "}").statusCode())
                        .as("release 1 refuses sizes above 2^31-1").isEqualTo(400);
                assertThat(get(release1, "/actuator/zdm").body()).contains("/actuator/backfills");
                HttpResponse<String> home = get(release1, "/");
                assertThat(home.statusCode()).as("the home page sends to the operator page").isEqualTo(302);
                assertThat(home.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/actuator/zdm"));
            }
            AtomicLongArray increments = new AtomicLongArray(ROWS + 1);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> write(db, running, increments, failure), "sample-writer");
            writer.start();
            try {
                try (ConfigurableApplicationContext release2 = start(db, 2)) {
                    Jobs jobs = release2.getBean(Jobs.class);
                    for (int i = 0; i < 600 && !jobs.list().stream().allMatch(j -> j.state() == JobState.COMPLETED); i++) {
                        Thread.sleep(100);
                    }
                    assertThat(jobs.list()).extracting(JobView::state).containsOnly(JobState.COMPLETED);
                    assertThat(get(release2, "/actuator/backfills").body()).contains("file.file_size_bigint");
                    assertThat(put(release2, "/files/1/size", "{\"size\":" + BIG + "}").statusCode())
                            .as("release 2 still refuses sizes above 2^31-1").isEqualTo(400);
                }
                try (ConfigurableApplicationContext release3 = start(db, 3)) {
                    HttpResponse<String> created = post(release3, "/files", "{\"checksum\":\"big\",\"size\":" + BIG + "}");
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                    assertThat(created.body()).contains("\"size\":" + BIG);
                    String id = created.body().replaceAll(".*\"id\":(\\d+).*", "$1");
                    HttpResponse<String> updated = put(release3, "/files/" + id + "/size", "{\"size\":" + (Long.parseLong(BIG) + 1) + "}");
                    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
                    assertThat(get(release3, "/files/" + id).body()).as("read back through the entity")
                            .contains("\"size\":" + (Long.parseLong(BIG) + 1));
                    assertThat(get(release3, "/files/" + Long.MAX_VALUE).statusCode()).isEqualTo(404);
                }
                try (ConfigurableApplicationContext release4 = start(db, 4)) {
                    assertThat(get(release4, "/actuator/health").body()).contains("\"status\":\"UP\"");
                }
            } finally {
                running.set(false);
                writer.join(30_000);
            }

            assertThat(failure.get()).as("no write failed across the four releases").isNull();
            JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
            assertThat(jdbc.queryForObject("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute"
                    + " WHERE attrelid = 'file'::regclass AND attname = 'file_size'", String.class)).isEqualTo("bigint true");
            assertThat(jdbc.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = 'file_checksum_file_size_idx'",
                    String.class)).endsWith("(checksum, file_size)");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_attribute WHERE attrelid = 'file'::regclass"
                    + " AND attname LIKE 'file_size\\_%' AND NOT attisdropped", Integer.class)).isZero();
            List<Long> sizes = jdbc.queryForList("SELECT file_size FROM file WHERE id <= " + ROWS + " ORDER BY id", Long.class);
            for (int id = 1; id <= ROWS; id++) {
                assertThat(sizes.get(id - 1)).as("row %d: no lost update", id).isEqualTo(id + increments.get(id));
            }
            assertThat(jdbc.queryForObject("SELECT file_size FROM file WHERE checksum = 'big'", Long.class))
                    .as("the size PUT through the entity in release 3").isEqualTo(Long.parseLong(BIG) + 1);
        }
    }

    private static void write(TestDatabase db, AtomicBoolean running, AtomicLongArray increments,
            AtomicReference<Throwable> failure) {
        Properties props = new Properties();
        props.setProperty("autosave", "conservative");
        try (Connection connection = db.connect(props);
                PreparedStatement bump = connection.prepareStatement("UPDATE file SET file_size = file_size + 1 WHERE id = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                int id = 1 + random.nextInt(ROWS);
                bump.setInt(1, id);
                if (bump.executeUpdate() == 1) {
                    increments.incrementAndGet(id);
                }
                Thread.sleep(1);
            }
        } catch (SQLException | RuntimeException | InterruptedException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static ConfigurableApplicationContext start(TestDatabase db, int release) {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0", "--sample.release=" + release,
                "--spring.datasource.url=" + db.jdbcUrl() + "?autosave=conservative", "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + (db.password() == null ? "" : db.password()),
                "--zdm.backfill.poll-interval=200ms");
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ConfigurableApplicationContext app, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(ConfigurableApplicationContext app, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(app, path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        return URI.create("http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort() + path);
    }
}
