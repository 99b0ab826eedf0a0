package dev.zdm.guard;

import dev.zdm.sql.Finding;
import dev.zdm.sql.TableName;
import java.time.Duration;

/** Hears what the guard does; the Spring layer turns it into Micrometer meters. */
public interface GuardListener {

    GuardListener NONE = new GuardListener() {
    };

    /** A guarded DDL timed out waiting for its lock and will be tried again after {@code backoff}. */
    default void lockRetried(TableName table, int attempt, Duration backoff, String blockers) {
    }

    /** A statement was refused before it ran. */
    default void refused(Finding finding, ChangeSetRef changeSet) {
    }
}
