package dev.zdm.jobs.command;

/** The command line is wrong: exit code 2, before anything is read or changed. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
