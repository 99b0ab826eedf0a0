package dev.zdm.autoconfigure;

import dev.zdm.guard.UnsafeMigrationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start-up stopped because the guard refused a migration statement. */
class UnsafeMigrationFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeMigrationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeMigrationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Rewrite the changeset the safe way named above. If it is safe here (a small table, a maintenance window), "
                        + "give the changeset a reason with allowUnsafe; if it was released long ago and is only being "
                        + "replayed, set zdm.guard.start-after to the last released changeset. Nothing of this changeset "
                        + "was applied.",
                cause);
    }
}
