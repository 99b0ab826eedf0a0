package dev.zdm.autoconfigure;

import dev.zdm.liquibase.LiquibaseVersion;
import dev.zdm.liquibase.UnsupportedLiquibaseVersionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up stopped by {@link UnsupportedLiquibaseVersionException}. */
class UnsupportedLiquibaseVersionFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedLiquibaseVersionException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedLiquibaseVersionException cause) {
        return new FailureAnalysis(
                "zdm needs Liquibase 4.x, but the application runs Liquibase " + cause.foundVersion()
                        + ". Spring Boot 4 manages Liquibase 5.x, which is not open source; zdm is built and tested with "
                        + LiquibaseVersion.SUPPORTED + ".",
                "Pin Liquibase " + LiquibaseVersion.SUPPORTED + " in your build: " + LiquibaseVersion.pinAdvice()
                        + " To run without zdm instead, set zdm.enabled=false.",
                cause);
    }
}
