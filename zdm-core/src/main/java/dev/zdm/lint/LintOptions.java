package dev.zdm.lint;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@code lint}, shared by the CLI and the Maven plugin.
 *
 * @param changelog the master changelog
 * @param root the directory the changelog's paths are relative to, or {@code null} for the default
 * @param since judge only changesets new since the merge-base of this git ref and HEAD, or {@code null} for all
 * @param format {@code text}, {@code json}, {@code github} or {@code sarif}
 * @param failOn what makes the exit status 1
 * @param classpath the project's classes and jars ({@code customChange} classes, resources), maybe empty
 */
public record LintOptions(Path changelog, Path root, String since, String format, FailOn failOn, List<Path> classpath) {

    public LintOptions {
        format = format == null ? "text" : format;
        failOn = failOn == null ? FailOn.ERROR : failOn;
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
    }
}
