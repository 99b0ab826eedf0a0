package dev.zdm.jobs;

import dev.zdm.ZdmException;

/** No job of that name is registered. */
public class NoSuchJobException extends ZdmException {

    private static final long serialVersionUID = 1L;

    public NoSuchJobException(String name) {
        super("zdm: no job named '" + name + "'");
    }
}
