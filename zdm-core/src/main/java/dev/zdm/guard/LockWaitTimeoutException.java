package dev.zdm.guard;

import java.sql.SQLTransientException;

/**
 * A guarded DDL gave up waiting for its lock after every attempt. SQLState {@code 55P03}, like
 * PostgreSQL's own lock timeout; the message names the statement and who blocked it.
 */
public class LockWaitTimeoutException extends SQLTransientException {

    private static final long serialVersionUID = 1L;

    public LockWaitTimeoutException(String message, Throwable cause) {
        super(message, "55P03", cause);
    }
}
