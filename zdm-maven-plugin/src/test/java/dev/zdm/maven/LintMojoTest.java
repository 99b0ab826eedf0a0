package dev.zdm.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maven goal fails the build on unsafe changesets and on unreadable changelogs, and passes clean ones. */
class LintMojoTest {

    @TempDir
    Path dir;

    private LintMojo mojo(Path changelog) throws Exception {
        LintMojo mojo = new LintMojo();
        set(mojo, "changelog", changelog.toFile());
        set(mojo, "format", "text");
        return mojo;
    }

    @Test
    void failsTheBuildOnAnUnsafeChangeset() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                INSERT INTO file (file_size) VALUES (1);
                --changeset dev:2
                ALTER TABLE file ALTER COLUMN file_size TYPE bigint;
                """);
        assertThatThrownBy(() -> mojo(changelog).execute()).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("unsafe changesets");
    }

    @Test
    void passesASafeChangelogAndRefusesAnUnreadableOne() throws Exception {
        Path safe = Files.writeString(dir.resolve("safe.sql"), """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                CREATE INDEX file_size_idx ON file (file_size);
                """);
        assertThatCode(() -> mojo(safe).execute()).doesNotThrowAnyException();
        Path broken = Files.writeString(dir.resolve("broken.xml"), "<databaseChangeLog><changeSet id=");
        assertThatThrownBy(() -> mojo(broken).execute()).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void judgesCustomChangesWithTheProjectsClassesAndFailsOnNotJudgedWhenAsked() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.xml"), """
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="1" author="dev"><sql>CREATE TABLE file (id int); INSERT INTO file VALUES (1)</sql></changeSet>
                  <changeSet id="2" author="dev"><customChange class="acme.IndexChange"/></changeSet>
                </databaseChangeLog>
                """);
        LintMojo withoutClasses = mojo(changelog);
        assertThatCode(withoutClasses::execute).as("not judged is a warning").doesNotThrowAnyException();
        set(withoutClasses, "failOn", "not-judged");
        assertThatThrownBy(withoutClasses::execute).isInstanceOf(MojoFailureException.class);

        Path src = Files.createDirectories(dir.resolve("src/acme")).resolve("IndexChange.java");
        Files.writeString(src, """
                package acme;
                public class IndexChange implements liquibase.change.custom.CustomSqlChange {
                    public liquibase.statement.SqlStatement[] generateStatements(liquibase.database.Database database) {
                        return new liquibase.statement.SqlStatement[] {
                                new liquibase.statement.core.RawSqlStatement("CREATE INDEX acme_idx ON file (id)") };
                    }
                    public String getConfirmationMessage() { return "indexed"; }
                    public void setUp() { }
                    public void setFileOpener(liquibase.resource.ResourceAccessor accessor) { }
                    public liquibase.exception.ValidationErrors validate(liquibase.database.Database database) {
                        return new liquibase.exception.ValidationErrors();
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        assertThat(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), src.toString())).isZero();
        LintMojo withClasses = mojo(changelog);
        set(withClasses, "classpathElements", java.util.List.of(classes.toString()));
        assertThatThrownBy(withClasses::execute).as("the custom change's blocking index on a filled table")
                .isInstanceOf(MojoFailureException.class);
    }

    private static void set(Object target, String name, Object value) throws Exception {
        Field field = LintMojo.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

}
