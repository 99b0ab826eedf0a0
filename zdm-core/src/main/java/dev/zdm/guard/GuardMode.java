package dev.zdm.guard;

/** What the guard does with a statement that a rule judges unsafe. */
public enum GuardMode {
    /** Refuse it before it runs, with an error that names the rule and the fix. */
    ENFORCE,
    /** Log the same message, then run it. */
    WARN,
    /** Do nothing: no judging, no timeouts, no wrapping. */
    OFF
}
