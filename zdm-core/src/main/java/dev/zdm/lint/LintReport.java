package dev.zdm.lint;

import java.util.List;

/** The findings of one lint run, and how many changesets it judged. */
public record LintReport(List<LintFinding> findings, int changeSetsJudged, int changeSetsTotal) {

    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == LintFinding.Severity.ERROR);
    }

    /** The exit code of the contract: 1 with findings of severity error, else 0. */
    public int exitCode() {
        return hasErrors() ? 1 : 0;
    }
}
