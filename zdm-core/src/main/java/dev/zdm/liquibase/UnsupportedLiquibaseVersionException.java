package dev.zdm.liquibase;

import dev.zdm.ZdmException;

/** The Liquibase on the classpath is one zdm does not work with. */
public class UnsupportedLiquibaseVersionException extends ZdmException {

    private static final long serialVersionUID = 1L;

    private final String foundVersion;

    public UnsupportedLiquibaseVersionException(String foundVersion, String message) {
        super(message);
        this.foundVersion = foundVersion;
    }

    /** The version that was found. */
    public String foundVersion() {
        return foundVersion;
    }
}
