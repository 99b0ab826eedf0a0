package dev.zdm.guard;

/**
 * What the current thread is migrating: set by zdm's Liquibase listener around each changeset, or by
 * {@link #open(String)} for code that wants its own DDL guarded under {@code zdm.guard.scope=migrations}.
 *
 * <p>With the default scope, the guarded application DataSource looks at DDL only while a context is
 * open on the calling thread; the DataSource Liquibase migrates with is always guarded.
 */
public final class MigrationContext implements AutoCloseable {

    private static final ThreadLocal<MigrationContext> CURRENT = new ThreadLocal<>();

    private final MigrationContext previous;
    private final ChangeSetRef changeSet;
    private volatile boolean zdmChangeRunning;

    private MigrationContext(MigrationContext previous, ChangeSetRef changeSet) {
        this.previous = previous;
        this.changeSet = changeSet;
    }

    /** The context open on this thread, or {@code null}. */
    public static MigrationContext current() {
        return CURRENT.get();
    }

    /** Opens a context for a changeset; close it when the changeset ends. */
    public static MigrationContext enter(ChangeSetRef changeSet) {
        MigrationContext context = new MigrationContext(CURRENT.get(), changeSet);
        CURRENT.set(context);
        return context;
    }

    /**
     * Opens an explicit zdm scope: DDL run on this thread through a guarded DataSource is guarded
     * until the scope is closed, even with {@code zdm.guard.scope=migrations}.
     *
     * @param name what the scope migrates, for messages (e.g. {@code "report-tables"})
     */
    public static MigrationContext open(String name) {
        return enter(new ChangeSetRef("scope", name, "application", null, false));
    }

    /** Closes whatever context is still open on this thread (after a migration run ends, whatever happened). */
    public static void clear() {
        CURRENT.remove();
    }

    /** The changeset (or explicit scope) being run. */
    public ChangeSetRef changeSet() {
        return changeSet;
    }

    /** Whether a zdm change type is running: its statements are safe by construction and not judged. */
    public boolean zdmChangeRunning() {
        return zdmChangeRunning;
    }

    public void zdmChangeRunning(boolean running) {
        this.zdmChangeRunning = running;
    }

    @Override
    public void close() {
        if (CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
