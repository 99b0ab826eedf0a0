package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --since}: only changesets that did not exist at the merge-base are judged, wherever they were added. */
class GitHistoryTest {

    @TempDir
    Path repo;

    @Test
    void judgesOnlyChangesetsNewSinceTheMergeBaseIncludingOnesAppendedToAnOldFile() throws Exception {
        Path resources = Files.createDirectories(repo.resolve("src/main/resources/db"));
        git("init", "-q", "-b", "main");
        Files.writeString(resources.resolve("master.yaml"), "databaseChangeLog:\n  - include: { file: db/old.sql }\n");
        Files.writeString(resources.resolve("old.sql"), """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL, name text);
                --changeset dev:2
                CREATE INDEX file_size_idx ON file (file_size);
                """);
        git("add", "-A");
        git("commit", "-q", "-m", "old history with an old unsafe changeset");
        git("checkout", "-q", "-b", "feature");
        Files.writeString(resources.resolve("old.sql"), Files.readString(resources.resolve("old.sql")) + """
                --changeset dev:3
                ALTER TABLE file ALTER COLUMN name SET NOT NULL;
                """);
        Files.writeString(resources.resolve("new.sql"), """
                --liquibase formatted sql
                --changeset dev:4
                CREATE INDEX file_name_idx ON file (name);
                """);
        Files.writeString(resources.resolve("master.yaml"), "databaseChangeLog:\n  - include: { file: db/old.sql }\n"
                + "  - include: { file: db/new.sql }\n");
        git("add", "-A");
        git("commit", "-q", "-m", "new work");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = LintCommand.run(resources.resolve("master.yaml"), null, "main", "json",
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(json).contains("\"changeSet\":\"3\"").contains("\"rule\":\"set-not-null-scan\"")
                .contains("\"changeSet\":\"4\"").contains("\"rule\":\"create-index-blocking\"")
                .doesNotContain("\"changeSet\":\"2\"");
    }

    @Test
    void refusesAnUnknownRefWithExitTwo() throws Exception {
        git("init", "-q", "-b", "main");
        Files.writeString(repo.resolve("changelog.sql"), "--liquibase formatted sql\n--changeset dev:1\nSELECT 1;\n");
        git("add", "-A");
        git("commit", "-q", "-m", "one");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LintCommand.run(repo.resolve("changelog.sql"), null, "no-such-branch", "text", System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("git merge-base no-such-branch HEAD failed")
                .contains("is 'no-such-branch' a ref of this repository");
        assertThatThrownBy(() -> GitHistory.newChangeSets(new Linter(), repo, "changelog.sql", "no-such-branch"))
                .isInstanceOf(LintException.class);
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=zdm",
                "-c", "user.email=zdm@example.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
        }
    }
}
