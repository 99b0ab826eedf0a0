package dev.zdm.rehearse;

import java.time.Duration;

/**
 * One table of a {@link FillReport}.
 *
 * @param table schema-qualified, quoted only where needed ({@code public.file}, {@code public."Order"})
 * @param rowsBefore rows the table held before the fill (e.g. inserted by changesets)
 * @param rowsAfter rows it holds after
 * @param took time spent on the table (inserts and foreign key fix-ups, not ANALYZE)
 * @param skippedBecause {@code null} when the table holds the rows asked for; else why it holds fewer
 */
public record TableFill(String table, long rowsBefore, long rowsAfter, Duration took, String skippedBecause) {

    /** Whether the table reached the row count asked for. */
    public boolean filled() {
        return skippedBecause == null;
    }
}
