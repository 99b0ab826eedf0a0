package dev.zdm.lint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A project as a user has it: a git repository with a module whose changelogs live in {@code src/main/resources}, an
 * old history committed on {@code main} and a pull request's changes on {@code feature}; linted as CI lints it.
 */
final class UserRepository {

    static final String MODULE = "service/src/main/resources/";

    final Path top;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {

        /** The JSON findings as {@code "id rule @line"}, in order. */
        List<String> findings() {
            List<String> found = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"changeSet\":\"([^\"]*)\",\"author\":\"[^\"]*\","
                    + "\"file\":\"[^\"]*\",\"line\":(\\d+),\"rule\":\"([^\"]*)\"").matcher(out);
            while (m.find()) {
                found.add(m.group(1) + " " + m.group(3) + " @" + m.group(2));
            }
            return found;
        }

        /** The findings without their lines. */
        List<String> rules() {
            return findings().stream().map(f -> f.substring(0, f.indexOf(" @"))).toList();
        }
    }

    UserRepository(Path top) {
        this.top = top;
        try {
            Files.createDirectories(top);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git("init", "-q", "-b", "main");
    }

    /** Writes a file of the module's resources. */
    UserRepository write(String path, String content) {
        try {
            Path file = top.resolve(MODULE + path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String path) {
        try {
            return Files.readString(top.resolve(MODULE + path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits everything on {@code main}, then starts the pull request's branch {@code feature}. */
    UserRepository history() {
        commit("history");
        git("checkout", "-q", "-b", "feature");
        return this;
    }

    UserRepository commit(String message) {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    /** Lints {@code changelog} of the pull request against {@code main}. */
    Run lintPullRequest(String changelog, String format, FailOn failOn, List<Path> classpath) {
        return lint(new LintOptions(top.resolve(MODULE + changelog), null, "main", format, failOn, classpath));
    }

    Run lintPullRequest(String changelog) {
        return lintPullRequest(changelog, "json", FailOn.ERROR, List.of());
    }

    Run lint(LintOptions options) {
        commit("pull request");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LintCommand.run(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", top.toString(), "-c", "user.name=zdm",
                "-c", "user.email=zdm@example.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
