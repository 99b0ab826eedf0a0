package dev.zdm.rehearse;

/**
 * A changeset of the changelog, in Liquibase's order.
 *
 * @param key {@code file::id::author}, as the lint names it
 * @param fresh whether it is new (rehearsed) rather than applied as production has it
 */
public record PlannedChangeSet(String key, boolean fresh) {

    public String file() {
        return key.substring(0, key.indexOf("::"));
    }

    public String id() {
        return key.substring(key.indexOf("::") + 2, key.lastIndexOf("::"));
    }

    public String author() {
        return key.substring(key.lastIndexOf("::") + 2);
    }
}
