package dev.zdm.rehearse;

import dev.zdm.ZdmException;

/** A rehearsal that cannot start or go on: bad options, a server it must not touch, a changeset that fails. */
public class RehearsalException extends ZdmException {

    public RehearsalException(String message) {
        super(message);
    }

    public RehearsalException(String message, Throwable cause) {
        super(message, cause);
    }
}
