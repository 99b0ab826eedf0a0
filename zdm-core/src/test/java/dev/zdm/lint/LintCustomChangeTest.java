package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code customChange} whose class the lint cannot load is reported as not judged; the rest is still judged. */
class LintCustomChangeTest {

    static final String CUSTOM = """
            <changeSet id="custom" author="dev">
              <customChange class="acme.IndexChange"><param name="table" value="file"/></customChange>
            </changeSet>
            <changeSet id="plain" author="dev"><sql>ALTER TABLE file ALTER COLUMN name SET NOT NULL</sql></changeSet>
            """;

    @TempDir
    Path dir;

    UserRepository repo;

    @BeforeEach
    void pullRequestWithACustomChange() {
        repo = new UserRepository(dir.resolve("repo")).write("db/history.sql", LintReadsWhatLiquibaseRunsTest.HISTORY)
                .write("db/master.yaml", "databaseChangeLog:\n  - include: { file: db/history.sql }\n").history();
        repo.write("db/new.xml", LintReadsWhatLiquibaseRunsTest.xml(CUSTOM)).write("db/master.yaml",
                repo.read("db/master.yaml") + "  - include: { file: db/new.xml }\n");
    }

    @Test
    void reportsACustomChangeOfAMissingClassAsNotJudgedWithItsClassAndJudgesTheRest() {
        UserRepository.Run run = repo.lintPullRequest("db/master.yaml");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.rules()).containsExactly("custom not-judged", "plain set-not-null-scan");
        assertThat(run.out()).contains("customChange class acme.IndexChange is not on the lint's classpath")
                .contains("--classpath");
    }

    @Test
    void judgesTheSqlOfACustomChangeFoundOnTheGivenClasspath() throws IOException {
        Path classes = compile("""
                package acme;
                public class IndexChange implements liquibase.change.custom.CustomSqlChange {
                    private String table;
                    public void setTable(String table) { this.table = table; }
                    public liquibase.statement.SqlStatement[] generateStatements(liquibase.database.Database database) {
                        return new liquibase.statement.SqlStatement[] {
                                new liquibase.statement.core.RawSqlStatement("CREATE INDEX acme_idx ON " + table + " (name)") };
                    }
                    public String getConfirmationMessage() { return "indexed"; }
                    public void setUp() { }
                    public void setFileOpener(liquibase.resource.ResourceAccessor accessor) { }
                    public liquibase.exception.ValidationErrors validate(liquibase.database.Database database) {
                        return new liquibase.exception.ValidationErrors();
                    }
                }
                """);

        UserRepository.Run run = repo.lintPullRequest("db/master.yaml", "json", FailOn.ERROR, List.of(classes));

        assertThat(run.rules()).as(run.err()).containsExactly("custom create-index-blocking", "plain set-not-null-scan");
    }

    private Path compile(String source) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/acme")).resolve("IndexChange.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), src.toString());
        assertThat(status).as("javac").isZero();
        return classes;
    }
}
