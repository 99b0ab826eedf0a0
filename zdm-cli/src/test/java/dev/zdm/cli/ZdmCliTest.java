package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZdmCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void changelogs() throws IOException {
        Files.writeString(dir.resolve("unsafe.sql"), """
                --liquibase formatted sql
                --changeset dev:1-table
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                INSERT INTO file (file_size) VALUES (1);
                --changeset dev:2-widen
                ALTER TABLE file ALTER COLUMN file_size TYPE bigint;
                """);
        Files.writeString(dir.resolve("safe.sql"), """
                --liquibase formatted sql
                --changeset dev:1-table
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                --changeset dev:2-index
                CREATE INDEX file_size_idx ON file (file_size);
                """);
    }

    private int run(String... args) {
        return ZdmCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void exitsWithOneOnErrorsAndNamesTheChangesetInText() {
        assertThat(run("lint", "--changelog", dir.resolve("unsafe.sql").toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("unsafe.sql:5: error: column-type-rewrite: changeset 2-widen by dev: ")
                .contains("1 error,");
    }

    @Test
    void failsOnAChangeItCannotJudgeOnlyWithFailOnNotJudged() throws IOException {
        Files.writeString(dir.resolve("custom.xml"), """
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="1" author="dev"><customChange class="acme.NotOnTheClasspath"/></changeSet>
                </databaseChangeLog>
                """);
        String changelog = dir.resolve("custom.xml").toString();
        assertThat(run("lint", "--changelog", changelog)).as(err::toString).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("not-judged: changeset 1 by dev: customChange class"
                + " acme.NotOnTheClasspath is not on the lint's classpath").contains("1 not judged");
        assertThat(run("lint", "--changelog", changelog, "--fail-on", "not-judged")).isEqualTo(1);
        assertThat(run("lint", "--changelog", changelog, "--classpath", dir.toString(), "--fail-on", "not-judged"))
                .as("a classpath without the class").isEqualTo(1);
        assertThat(run("lint", "--changelog", changelog, "--fail-on", "sometimes")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--fail-on must be error, not-judged or warning");
    }

    @Test
    void exitsWithZeroWhenClean() {
        assertThat(run("lint", "--changelog", dir.resolve("safe.sql").toString())).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 of 2 changesets judged, 0 not judged, 0 errors");
    }

    @Test
    void exitsWithTwoAndOneParagraphOnUsageAndParseErrors() throws IOException {
        assertThat(run("lint")).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("lint", "--changelog", dir.resolve("missing.xml").toString())).isEqualTo(2);
        assertThat(run("lint", "--changelog", dir.resolve("safe.sql").toString(), "--format", "pdf")).isEqualTo(2);
        Files.writeString(dir.resolve("broken.xml"), "<databaseChangeLog><changeSet id=");
        assertThat(run("lint", "--changelog", dir.resolve("broken.xml").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: lint --changelog PATH").contains("cannot be read")
                .doesNotContain("\tat ");
    }

    @Test
    void writesTheJsonOfTheContract() throws IOException {
        run("lint", "--changelog", dir.resolve("unsafe.sql").toString(), "--format", "json");
        JsonNode finding = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("findings").get(0);
        assertThat(finding.get("changeSet").asText()).isEqualTo("2-widen");
        assertThat(finding.get("author").asText()).isEqualTo("dev");
        assertThat(finding.get("file").asText()).isEqualTo("unsafe.sql");
        assertThat(finding.get("line").asInt()).isEqualTo(5);
        assertThat(finding.get("rule").asText()).isEqualTo("column-type-rewrite");
        assertThat(finding.get("severity").asText()).isEqualTo("error");
        assertThat(finding.get("message").asText()).contains("expandColumnType");
        assertThat(finding.get("sql").asText()).isEqualTo("ALTER TABLE file ALTER COLUMN file_size TYPE bigint");
    }

    @Test
    void writesGithubAnnotationsOnTheChangesetsLine() {
        run("lint", "--changelog", dir.resolve("unsafe.sql").toString(), "--format", "github");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("::error file=unsafe.sql,line=5,title=zdm column-type-rewrite::"
                + "changeset 2-widen: [column-type-rewrite]");
    }

    @Test
    void writesSarifOfTheRightShape() throws IOException {
        run("lint", "--changelog", dir.resolve("unsafe.sql").toString(), "--format", "sarif");
        JsonNode sarif = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = sarif.get("runs").get(0);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("zdm");
        assertThat(run.at("/tool/driver/rules/0/id").asText()).isEqualTo("column-type-rewrite");
        assertThat(run.at("/tool/driver/rules/0/shortDescription/text").asText()).isNotBlank();
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("column-type-rewrite");
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(result.at("/message/text").asText()).isNotBlank();
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("unsafe.sql");
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(5);
    }
}
