package dev.zdm.maven;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Maven goal {@code rehearse} fails the build when a changeset blocks, and on bad options before it starts. */
@ExtendWith(PostgresExtension.class)
class RehearseMojoTest {

    private final TestDatabase db;
    @TempDir
    Path dir;

    RehearseMojoTest(TestDatabase db) {
        this.db = db;
    }

    private RehearseMojo mojo(Path changelog, String maxBlock) throws Exception {
        RehearseMojo mojo = new RehearseMojo();
        set(mojo, "changelog", changelog.toFile());
        set(mojo, "format", "text");
        set(mojo, "rows", 2_000L);
        set(mojo, "maxBlock", maxBlock);
        set(mojo, "pg", 18);
        set(mojo, "url", db.jdbcUrl());
        set(mojo, "username", db.user());
        set(mojo, "password", db.password());
        return mojo;
    }

    @Test
    void failsTheBuildWhenAChangeSetBlocksAndPassesWhenNothingDoes() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), """
                --liquibase formatted sql
                --changeset dev:1
                CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL);
                --changeset dev:2
                ALTER TABLE file ALTER COLUMN file_size TYPE bigint;
                """);
        Path stats = Files.writeString(dir.resolve("stats.txt"), "public.file 500000000\n");
        RehearseMojo blocking = mojo(changelog, "1ms");
        set(blocking, "stats", stats.toFile());
        assertThatThrownBy(blocking::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("blocks");
        assertThatCode(() -> mojo(changelog, "10m").execute()).doesNotThrowAnyException();
    }

    @Test
    void refusesABadDurationBeforeAnythingRuns() throws Exception {
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), "--liquibase formatted sql\n");
        assertThatThrownBy(() -> mojo(changelog, "soon").execute()).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("zdm.maxBlock");
    }

    private static void set(Object target, String name, Object value) throws Exception {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }
}
