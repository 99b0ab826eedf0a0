package dev.zdm.rehearse;

/** What a changeset will do to production. */
public enum Verdict {
    /** No writer or reader waits longer than {@code --max-block}. */
    OK,
    /** Writers or readers wait longer than {@code --max-block}, at the estimated size or already in the rehearsal. */
    BLOCKS;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
