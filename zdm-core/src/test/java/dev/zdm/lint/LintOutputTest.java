package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where findings land and how they read: paths from git's top level for GitHub, compiler-like text, a summary line,
 * an exit status for changes that could not be judged, and a word when the whole history is judged as new.
 */
class LintOutputTest {

    @TempDir
    Path dir;

    UserRepository repo;

    @BeforeEach
    void pullRequest() {
        repo = new UserRepository(dir).write("db/history.sql", LintReadsWhatLiquibaseRunsTest.HISTORY)
                .write("db/master.yaml", "databaseChangeLog:\n  - include: { file: db/history.sql }\n").history();
        repo.write("db/new.xml", LintReadsWhatLiquibaseRunsTest.xml("""
                <changeSet id="widen" author="">
                  <sql>ALTER TABLE file ALTER COLUMN owner_id TYPE int, ALTER COLUMN name SET NOT NULL</sql>
                </changeSet>
                """)).write("db/master.yaml", repo.read("db/master.yaml") + "  - include: { file: db/new.xml }\n");
    }

    @Test
    void annotatesGithubAndSarifWithPathsFromTheRepositoryRootWhateverTheRoot() {
        Path changelog = repo.top.resolve(UserRepository.MODULE + "db/master.yaml");
        String github = repo.lint(new LintOptions(changelog, null, "main", "github", null, null)).out();
        String githubWithRoot = repo.lint(new LintOptions(changelog, repo.top.resolve(UserRepository.MODULE), "main", "github",
                null, null)).out();
        String sarif = repo.lint(new LintOptions(changelog, null, "main", "sarif", null, null)).out();

        assertThat(github).contains("::error file=service/src/main/resources/db/new.xml,line=6,");
        assertThat(githubWithRoot).isEqualTo(github);
        assertThat(sarif).contains("\"uri\":\"service/src/main/resources/db/new.xml\"").doesNotContain("zdm lint:");
    }

    @Test
    void readsLikeACompilersOutputWithTheStatementOnceAndNoEmptyAuthor() {
        UserRepository.Run run = repo.lintPullRequest("db/master.yaml", "text", null, null);
        List<String> lines = run.out().lines().toList();

        String file = "service/src/main/resources/db/new.xml:6: error: ";
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith(file + "column-type-rewrite: changeset widen: table file, column owner_id: ")
                .doesNotContain("Instead").doesNotContain("[column-type-rewrite]").doesNotContain("()");
        assertThat(lines.get(1)).startsWith("    fix: ");
        assertThat(lines.get(2)).startsWith(file + "set-not-null-scan: changeset widen: ");
        assertThat(lines.get(3)).startsWith("    fix: ");
        assertThat(lines.get(4)).isEqualTo("    sql: ALTER TABLE file ALTER COLUMN owner_id TYPE int, ALTER COLUMN name SET NOT NULL");
        assertThat(lines.get(5)).isEqualTo("zdm lint: 1 of 4 changesets judged, 0 not judged, 2 errors, 0 warnings");
    }

    @Test
    void failsOnChangesNotJudgedOnlyWhenAskedAndSaysSoInTheSummary() {
        repo.write("db/custom.xml", LintReadsWhatLiquibaseRunsTest.xml("""
                <changeSet id="custom" author="dev"><customChange class="acme.Missing"/></changeSet>
                """)).write("db/master.yaml", "databaseChangeLog:\n  - include: { file: db/history.sql }\n"
                + "  - include: { file: db/custom.xml }\n");

        UserRepository.Run lenient = repo.lintPullRequest("db/master.yaml", "text", FailOn.ERROR, null);
        UserRepository.Run strict = repo.lintPullRequest("db/master.yaml", "json", FailOn.NOT_JUDGED, null);

        assertThat(lenient.exit()).isZero();
        assertThat(lenient.out()).endsWith("zdm lint: 1 of 4 changesets judged, 1 not judged, 0 errors, 1 warning\n");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.out()).doesNotContain("zdm lint:");
        assertThat(strict.err()).contains("zdm lint: 1 of 4 changesets judged, 1 not judged, 0 errors, 1 warning");
    }

    @Test
    void saysInOneLineWhenItJudgesTheWholeHistoryAsNew() {
        Path changelog = repo.top.resolve(UserRepository.MODULE + "db/master.yaml");
        UserRepository.Run whole = repo.lint(new LintOptions(changelog, null, null, "text", null, null));
        UserRepository.Run since = repo.lint(new LintOptions(changelog, null, "main", "text", null, null));

        assertThat(whole.err().lines()).singleElement().asString().contains("no --since")
                .contains("every changeset is judged as new").contains("audit");
        assertThat(since.err()).isEmpty();
    }
}
