package dev.zdm.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String id = null;
        for (String line : Files.readAllLines(root.resolve("changes.sql"))) {
            if (line.startsWith("--changeset pr:")) {
                id = line.substring("--changeset pr:".length()).split(" ")[0];
            } else if (line.startsWith("-- expect: ")) {
                expected.put(id, line.substring("-- expect: ".length()).strip());
            }
        }
        Linter linter = new Linter();
        java.util.Set<String> fresh = linter.keys(root, "master.yaml").stream().filter(k -> k.startsWith("changes.sql::"))
                .collect(Collectors.toSet());
        Map<String, List<String>> found = linter.lint(root, "master.yaml", fresh).findings().stream()
                .collect(Collectors.groupingBy(LintFinding::changeSet, Collectors.mapping(LintFinding::rule, Collectors.toList())));

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
        assertThat(expected).hasSize(30);
        assertThat(found).as("findings by changeset").allSatisfy((changeSet, rules) ->
                assertThat(List.of(expected.get(changeSet))).as(changeSet).isEqualTo(rules));
        assertThat(caught).isEqualTo(unsafe);
        assertThat(wronglyFlagged).isZero();
    }
}
