package dev.zdm.jobs;

/** A job's definition does not fit the table; the job fails with this message as its lastError. */
final class BadJobException extends Exception {

    private static final long serialVersionUID = 1L;

    BadJobException(String message) {
        super(message);
    }
}
