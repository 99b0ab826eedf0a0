package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The lint on a realistic corpus (a Kolibri-Studio-like history and 30 new changesets, each labelled with the
 * rule it should break or "safe"): prints how many unsafe changesets were caught and how many safe ones were flagged.
 */
class LintQualityTest {

    @Test
    void catchesEveryUnsafeChangesetOfTheCorpusAndFlagsNoSafeOne() throws Exception {
        Path root = Path.of(getClass().getResource("/lint-corpus/master.yaml").toURI()).getParent();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        readExpectations(root.resolve("changes.sql"), SQL_CHANGESET, expected, lines);
        readExpectations(root.resolve("changes.xml"), XML_CHANGESET, expected, lines);
        Linter linter = new Linter();
        java.util.Set<String> fresh = linter.keys(root, "master.yaml").stream().filter(k -> k.startsWith("changes."))
                .collect(Collectors.toSet());
        List<LintFinding> findings = linter.lint(root, "master.yaml", fresh).findings();
        Map<String, List<String>> found = findings.stream().collect(Collectors.groupingBy(f -> f.changeSet() + "::" + f.author(),
                LinkedHashMap::new, Collectors.mapping(LintFinding::rule, Collectors.toList())));

        int unsafe = 0;
        int caught = 0;
        int safe = 0;
        int wronglyFlagged = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> rules = found.getOrDefault(e.getKey(), List.of());
            if (e.getValue().equals("safe")) {
                safe++;
                wronglyFlagged += rules.isEmpty() ? 0 : 1;
            } else {
                unsafe++;
                caught += rules.equals(List.of(e.getValue())) ? 1 : 0;
            }
        }
        System.out.printf("zdm lint quality: %d/%d unsafe changesets caught with the right rule, %d/%d safe ones flagged%n",
                caught, unsafe, wronglyFlagged, safe);
        assertThat(expected).hasSize(30 + 16);
        assertThat(findings).as("each finding at its changeset's line").allSatisfy(f ->
                assertThat(f.line()).as(f.changeSet()).isEqualTo(lines.get(f.changeSet() + "::" + f.author())));
        assertThat(found).as("findings by changeset").allSatisfy((changeSet, rules) ->
                assertThat(List.of(expected.get(changeSet))).as(changeSet).isEqualTo(rules));
        assertThat(caught).isEqualTo(unsafe);
        assertThat(wronglyFlagged).isZero();
    }

    private static final Pattern SQL_CHANGESET = Pattern.compile("^--\\s*changeset (\\w+):(\\S+).*");
    private static final Pattern XML_CHANGESET = Pattern.compile("^\\s*(?:<changeSet )?.*?\\bid=\"([^\"]+)\".*");

    /** Reads {@code expect:} labels keyed {@code id::author}, and the line each changeset's id is declared on. */
    private static void readExpectations(Path file, Pattern changeSet, Map<String, String> expected, Map<String, Integer> lines)
            throws java.io.IOException {
        List<String> text = Files.readAllLines(file);
        String key = null;
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            Matcher sql = changeSet.matcher(line);
            if (changeSet == SQL_CHANGESET && sql.matches()) {
                key = sql.group(2) + "::" + sql.group(1);
                lines.put(key, i + 1);
            } else if (changeSet == XML_CHANGESET && sql.matches() && !line.contains("<column")) {
                String author = text.get(i).contains("author=") ? text.get(i) : text.get(i - 1);
                Matcher a = Pattern.compile("author=\"([^\"]+)\"").matcher(author);
                key = sql.group(1) + "::" + (a.find() ? a.group(1) : "");
                lines.put(key, i + 1);
            } else if (line.strip().startsWith("-- expect: ") || line.strip().startsWith("<!-- expect: ")) {
                String label = line.replace("<!--", "").replace("-->", "").strip();
                expected.put(key, label.substring(label.indexOf("expect:") + "expect:".length()).strip());
            }
        }
    }
}
