package dev.zdm.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Runs SQL through the lint as a new changeset after a history of old changesets, one per statement. */
public final class LintRunner {

    private LintRunner() {
    }

    /** The rule ids of the lint's findings for {@code sql} as the new changeset. */
    public static List<String> rules(Path dir, List<String> history, String sql, boolean inTransaction) {
        StringBuilder old = new StringBuilder("--liquibase formatted sql\n\n");
        for (int i = 0; i < history.size(); i++) {
            old.append("--changeset base:").append(i + 1).append("\n").append(history.get(i)).append(";\n");
        }
        String fresh = LintCorpus.xml("1-case", inTransaction, "<sql splitStatements=\"false\"><![CDATA[" + sql
                + "]]></sql>", null);
        try {
            Files.writeString(dir.resolve("history.sql"), old);
            Files.writeString(dir.resolve("new.xml"), fresh);
            Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n  - include: { file: history.sql }\n"
                    + "  - include: { file: new.xml }\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Linter linter = new Linter();
        Set<String> keys = linter.keys(dir, "master.yaml").stream().filter(k -> k.startsWith("new.xml::"))
                .collect(Collectors.toSet());
        return linter.lint(dir, "master.yaml", keys).findings().stream().map(LintFinding::rule).toList();
    }
}
