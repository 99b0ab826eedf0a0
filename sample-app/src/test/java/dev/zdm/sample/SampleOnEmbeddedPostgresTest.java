package dev.zdm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** With no spring.datasource.url, the sample brings its own PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleOnEmbeddedPostgresTest {

    @LocalServerPort
    private int port;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private EmbeddedPostgres embeddedPostgres;

    @Test
    void startsOnEmbeddedPostgresqlAndReportsHealthUp() throws Exception {
        String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(health).contains("\"status\":\"UP\"").contains("\"db\"");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("SELECT inet_server_port()", Integer.class)).isEqualTo(embeddedPostgres.getPort());
    }

    @Test
    void createsTheFileTableOfReleaseOne() {
        SampleSchema.assertReleaseOneSchema(new JdbcTemplate(dataSource));
    }
}
