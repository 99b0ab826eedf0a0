package dev.zdm.rehearse;

import java.util.Map;

/**
 * A user table as the catalog shows it before a changeset runs.
 *
 * @param oid its {@code pg_class} oid
 * @param name {@code schema.table}, quoted where needed ({@code public} left out)
 * @param sqlName the name to put in SQL
 * @param rows {@code reltuples}
 * @param fileNode its {@code relfilenode}
 * @param indexFileNodes its indexes' {@code relfilenode} by index oid
 */
record UserTable(long oid, String name, String sqlName, long rows, long fileNode, Map<Long, Long> indexFileNodes) {

    /** Whether the table or one of its indexes (that existed in {@code before}) got new storage since. */
    boolean rewrittenSince(UserTable before) {
        if (fileNode != before.fileNode && before.fileNode != 0) {
            return true;
        }
        for (Map.Entry<Long, Long> index : before.indexFileNodes.entrySet()) {
            Long now = indexFileNodes.get(index.getKey());
            if (now != null && !now.equals(index.getValue())) {
                return true;
            }
        }
        return false;
    }
}
