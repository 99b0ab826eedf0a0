package dev.zdm.liquibase;

import dev.zdm.ZdmException;
import java.util.List;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * {@code zdm.guard.start-after}: the changeset (an id, or {@code file::id::author}) up to which the changelog
 * is history. Unsafe statements in history only warn, so replaying old migrations on an old dump works.
 */
final class StartAfter {

    private final String setting;
    private DatabaseChangeLog indexedLog;
    private int position = -1;

    StartAfter(String setting) {
        this.setting = setting == null || setting.isBlank() ? null : setting.strip();
    }

    /** Whether {@code changeSet} is at or before the start-after changeset in {@code changeLog}'s root. */
    boolean isHistory(ChangeSet changeSet, DatabaseChangeLog changeLog) {
        if (setting == null) {
            return false;
        }
        DatabaseChangeLog root = changeLog == null ? changeSet.getChangeLog().getRootChangeLog() : changeLog.getRootChangeLog();
        List<ChangeSet> all = root.getChangeSets();
        if (root != indexedLog) {
            position = find(all, root);
            indexedLog = root;
        }
        int index = all.indexOf(changeSet);
        return index >= 0 && index <= position;
    }

    private int find(List<ChangeSet> all, DatabaseChangeLog root) {
        String[] parts = setting.split("::");
        int found = -1;
        for (int i = 0; i < all.size(); i++) {
            ChangeSet candidate = all.get(i);
            boolean matches = parts.length == 3
                    ? normalize(candidate.getFilePath()).equals(normalize(parts[0])) && candidate.getId().equals(parts[1])
                            && candidate.getAuthor().equals(parts[2])
                    : candidate.getId().equals(setting);
            if (matches) {
                if (found >= 0) {
                    throw new ZdmException("zdm.guard.start-after='" + setting + "' matches more than one changeset in "
                            + root.getFilePath() + "; name it as file::id::author, e.g. '" + candidate.getFilePath() + "::"
                            + candidate.getId() + "::" + candidate.getAuthor() + "'");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new ZdmException("zdm.guard.start-after='" + setting + "' names no changeset of " + root.getFilePath()
                    + "; give an id or file::id::author of a changeset in the changelog (nothing was run)");
        }
        return found;
    }

    static String normalize(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        if (p.startsWith("classpath:")) {
            p = p.substring("classpath:".length());
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }
}
