package dev.zdm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The README's install snippets stay true: every {@code dev.zdm} coordinate names a module of this build at its
 * current version (never one that is not for users), and every Maven snippet has its Gradle one right after it.
 */
class ReadmeTest {

    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern XML_COORDINATE = Pattern.compile(
            "<groupId>dev\\.zdm</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*(?:<version>([^<]+)</version>)?");
    private static final Pattern GRADLE_COORDINATE = Pattern.compile("dev\\.zdm:([A-Za-z0-9-]+):([0-9][A-Za-z0-9.-]*)");
    /** Modules that are this repository's own, not artifacts for users. */
    private static final Set<String> NOT_FOR_USERS = Set.of("zdm-test-support", "sample-app", "zdm-parent");

    private static String readme;
    private static List<Block> blocks;
    private static Set<String> modules;
    private static String version;

    private record Block(String language, String body) {
    }

    @BeforeAll
    static void read() throws Exception {
        readme = Files.readString(TOP.resolve("README.md"));
        blocks = new ArrayList<>();
        Matcher fence = FENCE.matcher(readme);
        while (fence.find()) {
            blocks.add(new Block(fence.group(1), fence.group(2)));
        }
        Element root = pom(TOP.resolve("pom.xml"));
        version = child(root, "version");
        modules = new LinkedHashSet<>();
        var moduleNodes = root.getElementsByTagName("module");
        for (int i = 0; i < moduleNodes.getLength(); i++) {
            modules.add(child(pom(TOP.resolve(moduleNodes.item(i).getTextContent()).resolve("pom.xml")), "artifactId"));
        }
    }

    @Test
    void everyMavenCoordinateNamesAUserModuleAtTheCurrentVersion() {
        List<String> seen = new ArrayList<>();
        for (Block block : blocks) {
            Matcher coordinate = XML_COORDINATE.matcher(block.body());
            while (coordinate.find()) {
                seen.add(coordinate.group(1));
                assertThat(modules).as("a module of this build").contains(coordinate.group(1));
                assertThat(NOT_FOR_USERS).as("offered to users").doesNotContain(coordinate.group(1));
                assertThat(coordinate.group(2)).as("version of %s", coordinate.group(1)).isEqualTo(version);
            }
        }
        assertThat(seen).contains("zdm-spring-boot-starter", "zdm-maven-plugin");
    }

    @Test
    void everyGradleCoordinateNamesAUserModuleAtTheCurrentVersion() {
        Matcher coordinate = GRADLE_COORDINATE.matcher(readme);
        List<String> seen = new ArrayList<>();
        while (coordinate.find()) {
            seen.add(coordinate.group(1));
            assertThat(modules).as("a module of this build").contains(coordinate.group(1));
            assertThat(NOT_FOR_USERS).as("offered to users").doesNotContain(coordinate.group(1));
            assertThat(coordinate.group(2)).as("version of %s", coordinate.group(1)).isEqualTo(version);
        }
        assertThat(seen).contains("zdm-spring-boot-starter", "zdm-cli");
    }

    @Test
    void everyMavenSnippetIsFollowedByItsGradleOne() {
        int mavenSnippets = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            boolean pom = block.language().equals("xml") && block.body().matches("(?s)\\s*<(dependency|plugin|properties)>.*");
            // a shell block that runs the Maven goals (an SQL comment that mentions them is not a snippet)
            boolean goals = java.util.List.of("bash", "sh", "shell", "console").contains(block.language())
                    && block.body().contains("mvn dev.zdm:zdm-maven-plugin:");
            if (pom || goals) {
                mavenSnippets++;
                assertThat(i + 1 < blocks.size() ? blocks.get(i + 1).language() : "none")
                        .as("the block after the Maven snippet%n%s", block.body()).isIn("kotlin", "groovy");
            }
        }
        assertThat(mavenSnippets).as("Maven snippets found").isGreaterThanOrEqualTo(4);
    }

    @Test
    void theTestHarnessIsNeverOfferedAsAUserArtifact() {
        for (String paragraph : readme.split("\\n\\s*\\n")) {
            if (paragraph.contains("zdm-test-support")) {
                assertThat(paragraph.replaceAll("\\s+", " ")).as("a paragraph naming zdm-test-support")
                        .containsIgnoringCase("not published");
            }
        }
    }

    @Test
    void installIsTheUsersCommandInGettingZdmOnly() {
        String gettingZdm = readme.substring(readme.indexOf("## Getting zdm"), readme.indexOf("\n## ", readme.indexOf("## Getting zdm") + 1));
        assertThat(gettingZdm).contains("mvn -B install -DskipTests");
        assertThat(readme.indexOf("## Getting zdm")).as("right after the two commands")
                .isGreaterThan(readme.indexOf("## Two commands")).isLessThan(readme.indexOf("## Status"));
    }

    private static Element pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    /** The text of a direct child element (not the parent's). */
    private static String child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in " + element.getTagName());
    }
}
