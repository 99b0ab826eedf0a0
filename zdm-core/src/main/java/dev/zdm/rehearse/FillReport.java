package dev.zdm.rehearse;

import java.util.List;

/** What {@link SyntheticRows#fill} did: one entry per table, in the order the tables were filled. */
public record FillReport(List<TableFill> tables) {

    public FillReport {
        tables = List.copyOf(tables);
    }

    /** The entry of {@code table} ({@code schema.table}, or a bare name in {@code public}), if it was in the fill. */
    public java.util.Optional<TableFill> table(String table) {
        String key = TableNames.normalize(table);
        return tables.stream().filter(t -> t.table().equals(key)).findFirst();
    }

    /** Rows inserted by the fill, over all tables. */
    public long rowsInserted() {
        return tables.stream().mapToLong(t -> Math.max(0, t.rowsAfter() - t.rowsBefore())).sum();
    }
}
