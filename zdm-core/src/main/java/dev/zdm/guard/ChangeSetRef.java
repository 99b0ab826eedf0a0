package dev.zdm.guard;

/**
 * The changeset a guarded statement belongs to, as messages and overrides need it.
 *
 * @param file the changelog file, as Liquibase records it
 * @param id the changeset id
 * @param author the changeset author
 * @param allowUnsafe the reason given with {@code allowUnsafe}, or {@code null}
 * @param history whether the changeset is at or before {@code zdm.guard.start-after} (unsafe only warns)
 */
public record ChangeSetRef(String file, String id, String author, String allowUnsafe, boolean history) {

    /** {@code file::id::author}, as Liquibase identifies a changeset. */
    public String describe() {
        return file + "::" + id + "::" + author;
    }

    @Override
    public String toString() {
        return describe();
    }
}
