package dev.zdm.cli;

import dev.zdm.jobs.command.JobsCommand;
import dev.zdm.lint.FailOn;
import dev.zdm.lint.LintCommand;
import dev.zdm.lint.LintException;
import dev.zdm.lint.LintOptions;
import dev.zdm.rehearse.RehearseCommand;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar zdm-cli.jar lint --changelog PATH [--since GIT_REF] [--format text|json|github|sarif] [--root DIR]
 * [--fail-on error|not-judged|warning] [--classpath PATHS]}. Exit codes: 0 no errors, 1 findings that fail by
 * {@code --fail-on} (default: of severity error), 2 usage or parse error.
 * {@code java -jar zdm-cli.jar jobs COMMAND --url JDBC ...}: see {@link JobsCommand} (0 ok, 1 not ready or failed, 2 usage).
 * {@code java -jar zdm-cli.jar rehearse --changelog PATH ...}: see {@link RehearseCommand} (0 ok, 1 blocks, 2 usage).
 * {@code java -jar zdm-cli.jar stats --url JDBC > FILE}: production row counts for {@code rehearse --stats FILE}.
 */
public final class ZdmCli {

    private ZdmCli() {
    }

    public static void main(String[] args) {
        Logger.getLogger("liquibase").setLevel(Level.SEVERE); // Liquibase logs through java.util.logging
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("rehearse")) {
            return RehearseCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), dev.zdm.rehearse.EmbeddedRehearsalServer::start,
                    out, err);
        }
        if (args.length > 0 && args[0].equals("stats")) {
            return dev.zdm.rehearse.StatsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("jobs")) {
            return JobsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length == 0 || !args[0].equals("lint")) {
            err.println("zdm: " + (args.length == 0 ? "no command" : "unknown command '" + args[0] + "'") + ". "
                    + LintCommand.USAGE + "; or " + JobsCommand.USAGE
                    + "; or " + RehearseCommand.USAGE + "; or " + dev.zdm.rehearse.StatsCommand.USAGE);
            return 2;
        }
        Path changelog = null;
        Path root = null;
        String since = null;
        String format = "text";
        FailOn failOn = FailOn.ERROR;
        List<Path> classpath = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                err.println("zdm: " + option + " needs a value. " + LintCommand.USAGE);
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--changelog" -> changelog = Path.of(value);
                case "--root" -> root = Path.of(value);
                case "--since" -> since = value;
                case "--format" -> format = value;
                case "--fail-on" -> {
                    try {
                        failOn = FailOn.parse(value);
                    } catch (LintException e) {
                        err.println("zdm: " + e.getMessage() + ". " + LintCommand.USAGE);
                        return 2;
                    }
                }
                case "--classpath" -> {
                    for (String entry : value.split(File.pathSeparator)) {
                        if (!entry.isBlank()) {
                            classpath.add(Path.of(entry));
                        }
                    }
                }
                default -> {
                    err.println("zdm: unknown option '" + option + "'. " + LintCommand.USAGE);
                    return 2;
                }
            }
        }
        return LintCommand.run(new LintOptions(changelog, root, since, format, failOn, classpath), out, err);
    }
}
