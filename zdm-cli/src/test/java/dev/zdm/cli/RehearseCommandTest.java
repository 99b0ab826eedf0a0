package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code zdm-cli rehearse}: options, exit codes, the JSON contract, and the embedded server. */
@ExtendWith(PostgresExtension.class)
class RehearseCommandTest {

    static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset dev:1-table
            CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL);
            --changeset dev:2-note
            ALTER TABLE file ADD COLUMN note text;
            --changeset dev:3-widen
            ALTER TABLE file ALTER COLUMN file_size TYPE bigint;
            """;

    private final TestDatabase db;
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    RehearseCommandTest(TestDatabase db) {
        this.db = db;
    }

    private int run(String... args) {
        return ZdmCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String[] onTestServer(String... args) {
        List<String> all = new ArrayList<>(List.of("rehearse"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", db.jdbcUrl(), "--username", db.user()));
        if (db.password() != null) {
            all.addAll(List.of("--password", db.password()));
        }
        return all.toArray(String[]::new);
    }

    @Test
    void writesTheJsonOfTheContractAndExitsOneWhenAChangeSetBlocks() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), CHANGELOG);
        Path stats = Files.writeString(dir.resolve("stats.txt"), "public.file 20000000\n");
        int code = run(onTestServer("--changelog", changelog.toString(), "--rows", "200000", "--stats", stats.toString(),
                "--format", "json"));
        assertThat(code).as("%s", err).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode changeSets = json.get("changeSets");
        assertThat(changeSets).hasSize(3);
        JsonNode widen = changeSets.get(2);
        assertThat(widen.get("changeSet").asText()).isEqualTo("3-widen");
        assertThat(widen.get("author").asText()).isEqualTo("dev");
        assertThat(widen.get("file").asText()).isEqualTo("changelog.sql");
        assertThat(widen.get("verdict").asText()).isEqualTo("blocks");
        assertThat(widen.get("suggestion").asText()).contains("expandColumnType");
        JsonNode file = widen.get("tables").get(0);
        assertThat(file.get("table").asText()).isEqualTo("file");
        assertThat(file.get("lock").asText()).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(file.get("rewrite").isBoolean()).isTrue();
        assertThat(file.get("rewrite").asBoolean()).isTrue();
        assertThat(file.get("scaling").asText()).isIn("linear", "constant");
        assertThat(file.get("probeMaxWaitMs").isArray()).isTrue();
        assertThat(file.get("probeMaxWaitMs")).hasSize(2);
        assertThat(file.get("estimatedBlockMs").isIntegralNumber()).isTrue();
        JsonNode note = changeSets.get(1);
        assertThat(note.get("verdict").asText()).isEqualTo("ok");
        assertThat(note.get("suggestion").isNull()).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("3 new changeset(s) rehearsed at 20,000 and 200,000 rows");
        assertThat(db.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'zdm_rehearse%'")).isEqualTo("0");
    }

    @Test
    void usageErrorsExitTwoBeforeAnythingIsCreated() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), CHANGELOG);
        Path badStats = Files.writeString(dir.resolve("bad.txt"), "public.file many\n");
        assertThat(run(onTestServer("--changelog", changelog.toString(), "--fast", "yes"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--fast'").contains("usage: rehearse")
                .contains("--allow-data");
        assertThat(run(onTestServer("--rows", "10"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--changelog is required");
        assertThat(run(onTestServer("--changelog", dir.resolve("missing.sql").toString()))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No changelog file at");
        assertThat(run(onTestServer("--changelog", changelog.toString(), "--max-block", "soon"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--max-block takes a duration");
        assertThat(run(onTestServer("--changelog", changelog.toString(), "--stats", badStats.toString()))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--stats").contains("bad.txt:1: the row count of public.file must be a whole number");
        assertThat(run(onTestServer("--changelog", changelog.toString(), "--format", "xml"))).isEqualTo(2);
        assertThat(run("rehearse", "--changelog", changelog.toString(), "--pg", "13")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pg must be 14");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(db.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'zdm_rehearse%'")).isEqualTo("0");
    }

    @Test
    void startsItsOwnPostgresqlWithoutUrl() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), CHANGELOG + """
                --changeset dev:4-index
                CREATE INDEX file_checksum_idx ON file (checksum);
                --changeset dev:5-default
                ALTER TABLE file ALTER COLUMN checksum SET DEFAULT 'none';
                """);
        long started = System.nanoTime();
        int code = run("rehearse", "--changelog", changelog.toString(), "--rows", "20000");
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("%s%s", text, err).isIn(0, 1);
        assertThat(text).contains("changeset 3-widen").contains("changeset 5-default").contains("embedded PostgreSQL 18");
        assertThat(text).containsPattern("file\\s+ACCESS EXCLUSIVE\\s+yes");
        System.out.println(text + "(rehearsal of 5 changesets with its own server: " + seconds + " s)");
        assertThat(seconds).as("a handful of changesets").isLessThan(120);
    }
}
