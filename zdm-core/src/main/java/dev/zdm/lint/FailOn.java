package dev.zdm.lint;

import java.util.Locale;

/** What makes the lint exit 1 ({@code --fail-on}): errors only (the default), also unjudged changes, or any warning. */
public enum FailOn {
    ERROR, NOT_JUDGED, WARNING;

    /** Parses {@code error}, {@code not-judged} or {@code warning}. */
    public static FailOn parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new LintException("--fail-on must be error, not-judged or warning, not '" + name + "'");
        }
    }

    /** Whether a finding fails the run. */
    boolean fails(LintFinding finding) {
        return switch (finding.severity()) {
            case ERROR -> true;
            case WARNING -> this == WARNING || this == NOT_JUDGED && Linter.NOT_JUDGED.equals(finding.rule());
            case INFO -> false;
        };
    }
}
