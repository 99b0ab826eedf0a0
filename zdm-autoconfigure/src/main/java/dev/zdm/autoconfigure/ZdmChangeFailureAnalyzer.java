package dev.zdm.autoconfigure;

import dev.zdm.liquibase.change.ZdmChangeException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped because one of zdm's change types refused to run: the changeset, the attribute and the
 * problem once, and what to do — wait for background work that is not finished yet, or correct the changeset.
 */
class ZdmChangeFailureAnalyzer extends AbstractFailureAnalyzer<ZdmChangeException> {

    private static final String NOTHING_RUN = " Nothing of this change was run; correct the changeset and run the migration again.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ZdmChangeException cause) {
        String message = cause.getMessage();
        String description = message.endsWith(NOTHING_RUN) ? message.substring(0, message.length() - NOTHING_RUN.length())
                : message;
        String action = waitsForJobs(message)
                ? "This release needs background work that is not finished yet; nothing of the change was run. Let the"
                        + " instances of the release that is running now finish it (they run zdm's jobs with"
                        + " zdm.jobs.enabled=true; watch them at /actuator/backfills or in the zdm_job table, or run them with"
                        + " `zdm-cli jobs run --until-done`), then deploy this release again."
                : "Correct the changeset as described above, then deploy again; nothing of the change was run.";
        return new FailureAnalysis("zdm refused a change: " + description, action, cause);
    }

    private static boolean waitsForJobs(String message) {
        return message.contains("is not ready") || message.contains("waiting for background job") || message.contains("under way")
                || message.contains("built by background job") || message.contains("still being built by background job");
    }
}
