package dev.zdm;

/**
 * The one unchecked base exception of zdm. Messages carry their context: the changeset, table,
 * statement and rule where they apply, and what to do instead.
 */
public class ZdmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ZdmException(String message) {
        super(message);
    }

    public ZdmException(String message, Throwable cause) {
        super(message, cause);
    }
}
