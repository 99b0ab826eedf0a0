package dev.zdm.lint;

import dev.zdm.ZdmException;

/** The lint could not run: a changelog that does not parse, an unknown git ref, bad options (exit code 2). */
public class LintException extends ZdmException {

    private static final long serialVersionUID = 1L;

    public LintException(String message) {
        super(message);
    }

    public LintException(String message, Throwable cause) {
        super(message, cause);
    }
}
