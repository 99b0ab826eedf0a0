package dev.zdm.scenario;

import java.util.List;
import java.util.Map;

/**
 * How a scenario ended. {@code REFUSED} passes: zdm refused where it must (a plain ALTER fails on the data) or refused a
 * shape up front with a message naming the object; {@code differences} is empty unless {@code FAILED}.
 */
record Outcome(Scenario scenario, Verdict verdict, List<Refusal> refusals, List<String> differences,
        Map<Stage, Long> longestWaits, String reproduction, long millis) {

    enum Verdict {
        PASSED, REFUSED, FAILED
    }

    /** A refusal zdm gave (a ZdmChangeException in the Liquibase failure), by stage and kind. */
    record Refusal(Stage stage, String kind, String message) {
    }

    boolean failed() {
        return verdict == Verdict.FAILED;
    }
}
