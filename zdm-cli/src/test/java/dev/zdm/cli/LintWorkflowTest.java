package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The project's own lint workflow lints every changeset the sample app runs, annotated at paths GitHub can show. */
class LintWorkflowTest {

    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

    @Test
    void lintsTheNewestReleaseChangelogWhichIncludesEveryOtherRelease() throws IOException {
        String workflow = Files.readString(TOP.resolve(".github/workflows/zdm-lint.yml"));
        Matcher changelog = Pattern.compile("--changelog (\\S+)").matcher(workflow);
        assertThat(changelog.find()).isTrue();
        Path linted = TOP.resolve(changelog.group(1));
        String properties = Files.readString(TOP.resolve("sample-app/src/main/resources/application.properties"));
        assertThat(properties).contains("spring.liquibase.change-log=classpath:db/changelog/release-${sample.release:1}.xml");

        long releases;
        try (Stream<Path> files = Files.list(linted.getParent())) {
            releases = files.filter(f -> f.getFileName().toString().matches("release-\\d+\\.xml")).count();
        }
        assertThat(linted.getFileName()).hasToString("release-" + releases + ".xml");
        for (long release = releases; release > 1; release--) {
            assertThat(Files.readString(linted.resolveSibling("release-" + release + ".xml")))
                    .contains("<include file=\"db/changelog/release-" + (release - 1) + ".xml\"/>");
        }
    }
}
