package dev.zdm.liquibase.change;

import dev.zdm.ZdmException;

/** A zdm change cannot run as written; thrown before any of its statements ran. */
public class ZdmChangeException extends ZdmException {

    private static final long serialVersionUID = 1L;

    public ZdmChangeException(String message) {
        super(message);
    }

    public ZdmChangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
