package dev.zdm.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Which changesets are new since a git ref: those ({@code file::id::author}) that did not exist at the merge-base of
 * the ref and HEAD, including changesets appended to an old file.
 */
public final class GitHistory {

    private GitHistory() {
    }

    /** The keys of the changesets that are new since {@code ref}. */
    public static Set<String> newChangeSets(Linter linter, Path root, String changeLogPath, String ref) {
        Path top = Path.of(git(root, "rev-parse", "--show-toplevel").strip());
        String base = git(root, "merge-base", ref, "HEAD").strip();
        Set<String> current = linter.keys(root, changeLogPath);
        Path extracted;
        try {
            extracted = Files.createTempDirectory("zdm-lint-base");
        } catch (IOException e) {
            throw new LintException("Cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            extract(top, base, extracted);
            Path baseRoot = extracted.resolve(top.toRealPath().relativize(root.toRealPath()).toString());
            Set<String> old = Files.exists(baseRoot.resolve(changeLogPath)) ? linter.keys(baseRoot, changeLogPath) : Set.of();
            Set<String> fresh = new LinkedHashSet<>(current);
            fresh.removeAll(old);
            return fresh;
        } catch (IOException e) {
            throw new LintException("Cannot read the changelog at " + ref + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(extracted);
        }
    }

    /** Git's top level for {@code dir}, empty when it is not in a repository (or git cannot run). */
    static java.util.Optional<Path> topLevel(Path dir) {
        try {
            Process process = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "--show-toplevel")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Path.of(out));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private static void extract(Path top, String commit, Path target) throws IOException {
        Process process = new ProcessBuilder("git", "-C", top.toString(), "archive", "--format=zip", commit)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (ZipInputStream zip = new ZipInputStream(process.getInputStream())) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out);
                }
            }
        }
    }

    private static String git(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            String out;
            String err;
            try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
                err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new LintException("git " + String.join(" ", args) + " failed in " + dir + ": " + err.strip()
                        + (args[0].equals("merge-base") ? " (is '" + args[1] + "' a ref of this repository, fetched with full"
                                + " history?)" : ""));
            }
            return out;
        } catch (IOException e) {
            throw new LintException("git is needed for --since and could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LintException("Interrupted while running git");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

}
