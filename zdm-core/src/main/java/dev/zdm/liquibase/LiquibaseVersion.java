package dev.zdm.liquibase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Liquibase zdm runs with. zdm is built and tested against Liquibase {@value #SUPPORTED}
 * and works with 4.x. Liquibase 5.x is not open source, and it is what Spring Boot 4's
 * dependency management brings by default: an application must pin 4.x itself.
 */
public final class LiquibaseVersion {

    /** The Liquibase version zdm is built and tested with. */
    public static final String SUPPORTED = "4.33.0";

    private static final Logger log = LoggerFactory.getLogger(LiquibaseVersion.class);

    private LiquibaseVersion() {
    }

    /** The version of the Liquibase on the classpath, as it reports itself. */
    public static String installed() {
        return liquibase.util.LiquibaseUtil.getBuildVersion();
    }

    /**
     * Refuses a Liquibase major version other than 4; warns for a 4.x other than {@value #SUPPORTED}.
     *
     * @throws UnsupportedLiquibaseVersionException naming the version found and how to pin 4.33.0
     */
    public static void check(String version) {
        int major = majorOf(version);
        if (major < 0) {
            log.warn("zdm could not read the Liquibase version ('{}'); it is tested with {}", version, SUPPORTED);
            return;
        }
        if (major != 4) {
            throw new UnsupportedLiquibaseVersionException(version, "zdm needs Liquibase 4.x and found Liquibase "
                    + version + "." + (major >= 5
                            ? " Liquibase 5.x is not open source, and Spring Boot 4 manages it by default."
                            : "")
                    + " Pin Liquibase " + SUPPORTED + ": " + pinAdvice());
        }
        if (!SUPPORTED.equals(version)) {
            log.warn("zdm is tested with Liquibase {}; this application runs Liquibase {}", SUPPORTED, version);
        }
    }

    /** How to pin the supported version, for Maven and Gradle. */
    public static String pinAdvice() {
        return "with Maven and spring-boot-starter-parent, set <liquibase.version>" + SUPPORTED
                + "</liquibase.version> in <properties>; with a Spring Boot BOM import, add org.liquibase:liquibase-core:"
                + SUPPORTED + " to <dependencyManagement> before the BOM; with Gradle, set liquibase.version="
                + SUPPORTED + " in gradle.properties (Spring dependency-management plugin) or add "
                + "implementation(\"org.liquibase:liquibase-core:" + SUPPORTED + "!!\").";
    }

    static int majorOf(String version) {
        if (version == null) {
            return -1;
        }
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 4) {
            return -1;
        }
        return Integer.parseInt(version.substring(0, end));
    }
}
