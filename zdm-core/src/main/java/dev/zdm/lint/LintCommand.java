package dev.zdm.lint;

import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lint --changelog PATH [--since GIT_REF] [--format text|json|github|sarif] [--root DIR]
 * [--fail-on error|not-judged|warning] [--classpath PATHS]}, shared by the CLI and the Maven plugin. The root is the
 * directory changelog paths are relative to: by default the {@code src/main/resources} the changelog lives in (as on the
 * classpath), else the changelog's directory. Text, {@code github} and {@code sarif} output name files relative to
 * git's top level (so GitHub can attach them to the diff); JSON keeps the changelog's own paths.
 */
public final class LintCommand {

    public static final String USAGE = "usage: lint --changelog PATH [--since GIT_REF] [--format text|json|github|sarif]"
            + " [--root DIR] [--fail-on error|not-judged|warning] [--classpath PATHS]";

    private LintCommand() {
    }

    /** Runs the lint with the default options for the rest; see {@link #run(LintOptions, PrintStream, PrintStream)}. */
    public static int run(Path changelog, Path root, String since, String format, PrintStream out, PrintStream err) {
        return run(new LintOptions(changelog, root, since, format, FailOn.ERROR, List.of()), out, err);
    }

    /**
     * Runs the lint, prints the report and one summary line (on {@code err} for JSON and SARIF, which must stay one
     * document); returns the exit code (0 clean, 1 findings that fail by {@code --fail-on}, 2 usage or parse error).
     */
    public static int run(LintOptions options, PrintStream out, PrintStream err) {
        try {
            LintFormat lintFormat = LintFormat.parse(options.format());
            if (options.changelog() == null) {
                throw new LintException("--changelog is required. " + USAGE);
            }
            Path file = options.changelog().toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new LintException("No changelog file at " + options.changelog());
            }
            Path base = options.root() != null ? options.root().toAbsolutePath().normalize() : defaultRoot(file);
            if (!file.startsWith(base)) {
                throw new LintException("The changelog " + file + " is not under --root " + base);
            }
            String path = base.relativize(file).toString().replace('\\', '/');
            Linter linter = new Linter(classLoader(options.classpath()));
            if (options.since() == null) {
                err.println("zdm lint: no --since, so every changeset is judged as new in one pull request (its tables new"
                        + " and empty); to audit an existing history, see the README (--since per commit)");
            }
            Set<String> fresh = options.since() == null ? null : GitHistory.newChangeSets(linter, base, path, options.since());
            LintReport report = linter.lint(base, path, fresh);
            LintReport shown = lintFormat == LintFormat.JSON ? report : report.relocated(repositoryPrefix(base));
            out.print(lintFormat.render(shown));
            PrintStream summary = lintFormat == LintFormat.JSON || lintFormat == LintFormat.SARIF ? err : out;
            summary.println(report.summary());
            out.flush();
            return report.exitCode(options.failOn());
        } catch (LintException e) {
            err.println("zdm lint: " + e.getMessage());
            return 2;
        }
    }

    /** The root's path from git's top level ({@code "sample-app/src/main/resources/"}), empty outside a repository. */
    static String repositoryPrefix(Path root) {
        Optional<Path> top = GitHistory.topLevel(root);
        if (top.isEmpty()) {
            return "";
        }
        try {
            String prefix = top.get().toRealPath().relativize(root.toRealPath()).toString().replace('\\', '/');
            return prefix.isEmpty() ? "" : prefix + "/";
        } catch (java.io.IOException | IllegalArgumentException e) {
            return "";
        }
    }

    private static ClassLoader classLoader(List<Path> classpath) {
        ClassLoader parent = Linter.class.getClassLoader();
        if (classpath.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            Path entry = classpath.get(i);
            if (!Files.exists(entry)) {
                throw new LintException("--classpath entry " + entry + " does not exist");
            }
            try {
                urls[i] = entry.toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new LintException("--classpath entry " + entry + " is not a path: " + e.getMessage(), e);
            }
        }
        return new URLClassLoader(urls, parent);
    }

    static Path defaultRoot(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (dir.endsWith(Path.of("src", "main", "resources"))) {
                return dir;
            }
        }
        return file.getParent();
    }
}
