package dev.zdm.jobs.command;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code jobs} command line.
 *
 * @param command list, show, run, pause, resume, cancel, retry or wait
 * @param argument the job name (show and the actions) or {@code TABLE.COLUMN} (wait --ready)
 * @param untilDone run: stop once no job has work left
 * @param parallelism run: worker threads, and slices per backfill
 * @param timeout wait: how long to wait for the pipeline
 */
record JobsOptions(Command command, String argument, String url, String username, String password, boolean untilDone,
        int parallelism, Duration timeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    /** The sub-commands of {@code jobs}. */
    enum Command {
        LIST, SHOW, RUN, PAUSE, RESUME, CANCEL, RETRY, WAIT;

        boolean takesJobName() {
            return this == SHOW || this == PAUSE || this == RESUME || this == CANCEL || this == RETRY;
        }
    }

    /** Parses {@code args} (after {@code jobs}); the password falls back to {@code ZDM_PASSWORD} in {@code env}. */
    static JobsOptions parse(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            throw new UsageException("no jobs command");
        }
        Command command;
        try {
            command = Command.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown jobs command '" + args[0] + "'");
        }
        String argument = null;
        String url = null;
        String username = null;
        String password = env.get("ZDM_PASSWORD");
        boolean untilDone = false;
        Integer parallelism = null;
        Duration timeout = null;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                if (argument != null || !command.takesJobName()) {
                    throw new UsageException("unexpected argument '" + option + "'");
                }
                argument = option;
                continue;
            }
            if (option.equals("--until-done") && command == Command.RUN) {
                untilDone = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--url":
                    url = value;
                    break;
                case "--username":
                    username = value;
                    break;
                case "--password":
                    password = value;
                    break;
                case "--parallelism":
                    parallelism = positive(command == Command.RUN, option, value);
                    break;
                case "--ready":
                    if (command != Command.WAIT) {
                        throw new UsageException("--ready belongs to jobs wait");
                    }
                    if (value.lastIndexOf('.') <= 0 || value.endsWith(".")) {
                        throw new UsageException("--ready takes TABLE.COLUMN (e.g. file.file_size), not '" + value + "'");
                    }
                    argument = value;
                    break;
                case "--timeout":
                    if (command != Command.WAIT) {
                        throw new UsageException("--timeout belongs to jobs wait");
                    }
                    timeout = Durations.parse("--timeout", value);
                    break;
                default:
                    throw new UsageException("unknown option '" + option + "' for jobs " + command.name().toLowerCase(Locale.ROOT));
            }
        }
        if (url == null) {
            throw new UsageException("--url is required (e.g. --url jdbc:postgresql://db:5432/app)");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new UsageException("--url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB), not '" + url + "'");
        }
        if (command.takesJobName() && argument == null) {
            throw new UsageException("jobs " + command.name().toLowerCase(Locale.ROOT) + " needs a job name (see jobs list)");
        }
        if (command == Command.WAIT && argument == null) {
            throw new UsageException("jobs wait needs --ready TABLE.COLUMN");
        }
        return new JobsOptions(command, argument, url, username, password, untilDone, parallelism == null ? 0 : parallelism,
                timeout == null ? DEFAULT_TIMEOUT : timeout);
    }

    private static int positive(boolean allowed, String option, String value) {
        if (!allowed) {
            throw new UsageException(option + " belongs to jobs run");
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " takes a whole number of at least 1, not '" + value + "'");
    }
}
