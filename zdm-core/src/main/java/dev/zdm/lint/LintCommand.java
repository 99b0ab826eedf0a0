package dev.zdm.lint;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code lint --changelog PATH [--since GIT_REF] [--format text|json|github|sarif] [--root DIR]}, shared by the CLI
 * and the Maven plugin. The root is the directory changelog paths are relative to: by default the
 * {@code src/main/resources} the changelog lives in (as on the classpath), else the changelog's directory.
 */
public final class LintCommand {

    public static final String USAGE = "usage: lint --changelog PATH [--since GIT_REF] [--format text|json|github|sarif]"
            + " [--root DIR]";

    private LintCommand() {
    }

    /** Runs the lint and prints the report; returns the exit code (0 clean, 1 errors, 2 usage or parse error). */
    public static int run(Path changelog, Path root, String since, String format, PrintStream out, PrintStream err) {
        try {
            LintFormat lintFormat = LintFormat.parse(format == null ? "text" : format);
            if (changelog == null) {
                throw new LintException("--changelog is required. " + USAGE);
            }
            Path file = changelog.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new LintException("No changelog file at " + changelog);
            }
            Path base = root != null ? root.toAbsolutePath().normalize() : defaultRoot(file);
            if (!file.startsWith(base)) {
                throw new LintException("The changelog " + file + " is not under --root " + base);
            }
            String path = base.relativize(file).toString().replace('\\', '/');
            Linter linter = new Linter();
            Set<String> fresh = since == null ? null : GitHistory.newChangeSets(linter, base, path, since);
            LintReport report = linter.lint(base, path, fresh);
            out.print(lintFormat.render(report));
            out.flush();
            return report.exitCode();
        } catch (LintException e) {
            err.println("zdm lint: " + e.getMessage());
            return 2;
        }
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
