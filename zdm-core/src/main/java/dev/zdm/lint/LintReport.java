package dev.zdm.lint;

import java.util.List;
import java.util.stream.Collectors;

/** The findings of one lint run, and how many changesets it judged. */
public record LintReport(List<LintFinding> findings, int changeSetsJudged, int changeSetsTotal) {

    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == LintFinding.Severity.ERROR);
    }

    /** The exit code of the contract: 1 with findings of severity error, else 0. */
    public int exitCode() {
        return exitCode(FailOn.ERROR);
    }

    /** 1 when a finding fails the run by {@code failOn}, else 0. */
    public int exitCode(FailOn failOn) {
        return findings.stream().anyMatch(failOn::fails) ? 1 : 0;
    }

    /** How many judged changesets hold a change the lint could not judge. */
    public int changeSetsNotJudged() {
        return (int) findings.stream().filter(f -> Linter.NOT_JUDGED.equals(f.rule()))
                .map(f -> f.file() + "::" + f.changeSet() + "::" + f.author()).distinct().count();
    }

    /** The one line that ends every run: changesets judged and not judged, errors, warnings. */
    public String summary() {
        long errors = count(LintFinding.Severity.ERROR);
        long warnings = count(LintFinding.Severity.WARNING);
        long allowed = count(LintFinding.Severity.INFO);
        return "zdm lint: " + changeSetsJudged + " of " + plural(changeSetsTotal, "changeset") + " judged, "
                + changeSetsNotJudged() + " not judged, " + plural(errors, "error") + ", " + plural(warnings, "warning")
                + (allowed > 0 ? ", " + allowed + " allowed" : "");
    }

    /** The same report with every finding's file under {@code prefix} (e.g. the root's path in the repository). */
    public LintReport relocated(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        return new LintReport(findings.stream().map(f -> new LintFinding(f.changeSet(), f.author(), prefix + f.file(), f.line(),
                f.rule(), f.severity(), f.message(), f.sql())).collect(Collectors.toList()), changeSetsJudged, changeSetsTotal);
    }

    private long count(LintFinding.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
