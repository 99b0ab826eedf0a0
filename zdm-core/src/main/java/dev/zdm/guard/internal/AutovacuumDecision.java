package dev.zdm.guard.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What to do about the sessions that block a guarded DDL when they are autovacuum workers. PostgreSQL
 * cancels a (non-wraparound) autovacuum that blocks a lock request only after {@code deadlock_timeout}; the
 * guard's {@code lock_timeout} is shorter, so without help every retry would fail for as long as the vacuum
 * runs (hours, on a large table). A DBA would cancel it; so does zdm:
 *
 * <ol>
 *   <li>Not every blocker an autovacuum worker: nothing to do (cancelling would not free the lock).</li>
 *   <li>One of them prevents wraparound: never cancel it; say so.</li>
 *   <li>{@code zdm.guard.cancel-autovacuum} is off, or the role may not ({@link SignalRights}): say who blocks
 *       and how to get past it.</li>
 *   <li>Otherwise cancel them; autovacuum comes back later and finishes its work.</li>
 * </ol>
 */
final class AutovacuumDecision {

    enum Verdict {
        NOT_ONLY_AUTOVACUUM, CANCEL, WRAPAROUND, DISABLED, NOT_PERMITTED
    }

    private final Verdict verdict;
    private final List<Blocker> blockers;
    private final String advice;

    private AutovacuumDecision(Verdict verdict, List<Blocker> blockers, String advice) {
        this.verdict = verdict;
        this.blockers = blockers;
        this.advice = advice;
    }

    /** Whether the decision needs to know the role's rights: every blocker is a cancellable autovacuum. */
    static boolean needsRights(List<Blocker> blockers, boolean enabled) {
        return enabled && onlyAutovacuum(blockers) && blockers.stream().noneMatch(Blocker::wraparound);
    }

    /** Decides; {@code rights} may be {@code null} when {@link #needsRights} said no. */
    static AutovacuumDecision decide(List<Blocker> blockers, SignalRights rights, boolean enabled) {
        if (!onlyAutovacuum(blockers)) {
            return new AutovacuumDecision(Verdict.NOT_ONLY_AUTOVACUUM, blockers, "");
        }
        String names = blockers.stream().map(Blocker::autovacuumName).collect(Collectors.joining(", "));
        String byHand = blockers.stream().map(b -> "SELECT pg_cancel_backend(" + b.pid() + ")").collect(Collectors.joining("; "));
        if (blockers.stream().anyMatch(Blocker::wraparound)) {
            return new AutovacuumDecision(Verdict.WRAPAROUND, blockers, "the blocker is " + names + ", which zdm never cancels"
                    + " (the database needs it, and it would start again at once): wait for it to finish, then run the"
                    + " migration again");
        }
        String why = "the blocker is " + names + ", and autovacuum gives way to a DDL only after deadlock_timeout, longer"
                + " than zdm's lock timeout";
        if (!enabled) {
            return new AutovacuumDecision(Verdict.DISABLED, blockers, why + "; zdm.guard.cancel-autovacuum is off: cancel it"
                    + " by hand (" + byHand + "), or wait for it to finish (on a large table that can take hours)");
        }
        if (!rights.mayCancelAutovacuum()) {
            return notPermitted(blockers, rights);
        }
        return new AutovacuumDecision(Verdict.CANCEL, blockers, why);
    }

    /** The role may not cancel them (decided from the catalog, or learnt from PostgreSQL refusing). */
    static AutovacuumDecision notPermitted(List<Blocker> blockers, SignalRights rights) {
        String names = blockers.stream().map(Blocker::autovacuumName).collect(Collectors.joining(", "));
        String byHand = blockers.stream().map(b -> "SELECT pg_cancel_backend(" + b.pid() + ")").collect(Collectors.joining("; "));
        return new AutovacuumDecision(Verdict.NOT_PERMITTED, blockers, "the blocker is " + names + ", and autovacuum gives"
                + " way to a DDL only after deadlock_timeout, longer than zdm's lock timeout; role " + rights.role()
                + " may not cancel it (" + rights.whatItTakes() + "): run the migration as a role that may, cancel it by hand"
                + " (" + byHand + "), or wait for it to finish (on a large table that can take hours)");
    }

    private static boolean onlyAutovacuum(List<Blocker> blockers) {
        return !blockers.isEmpty() && blockers.stream().allMatch(Blocker::autovacuum);
    }

    Verdict verdict() {
        return verdict;
    }

    List<Blocker> blockers() {
        return blockers;
    }

    /** For the retry log and the final error; empty when the blockers are not all autovacuum. */
    String advice() {
        return advice;
    }
}
