package dev.zdm.jobs;

import java.util.Locale;
import java.util.Optional;

/** What an operator can do to a job (the actuator's {@code action}, the CLI's and Maven's commands). */
public enum JobAction {
    PAUSE, RESUME, CANCEL, RETRY;

    /** The action's name as typed: {@code pause}, {@code resume}, {@code cancel}, {@code retry}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a word names, ignoring case; empty for any other word. */
    public static Optional<JobAction> of(String word) {
        for (JobAction action : values()) {
            if (action.word().equalsIgnoreCase(word == null ? "" : word.trim())) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    /** Applies the action through the Java API. */
    public JobView apply(Jobs jobs, String name) {
        switch (this) {
            case PAUSE:
                return jobs.pause(name);
            case RESUME:
                return jobs.resume(name);
            case CANCEL:
                return jobs.cancel(name);
            default:
                return jobs.retry(name);
        }
    }
}
