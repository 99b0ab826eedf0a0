package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

/**
 * Fills one table up to a row count with {@link InsertPlan} statements.
 * <ol>
 * <li>Series numbers start after the rows the table holds, so a top-up does not repeat the values of an earlier fill;
 * {@code ON CONFLICT DO NOTHING} skips rows that collide with rows already there (dropped where a deferrable unique
 * constraint forbids it).</li>
 * <li>Each statement inserts at most the rows still missing ({@code LIMIT}); when filters or conflicts drop rows, the
 * next statement takes a larger range of series numbers, in proportion to what passed.</li>
 * <li>On an error (a check the filter did not see, a domain, a trigger) the next {@link InsertPlan.Variant} is tried;
 * when all fail, or the unique columns run out of values, the table keeps what it holds and says why.</li>
 * <li>A broken connection is thrown, not reported.</li>
 * </ol>
 */
final class TableFiller {

    private static final int MAX_STATEMENTS = 12;

    private final Connection connection;

    TableFiller(Connection connection) {
        this.connection = connection;
    }

    TableFill fill(FillTable table, long target, Set<String> deferred) throws SQLException {
        long started = System.nanoTime();
        long before = count(table.name());
        if (before >= target) {
            return new TableFill(table.name(), before, before, Duration.ofNanos(System.nanoTime() - started), null);
        }
        InsertPlan plan = new InsertPlan(connection, table, deferred);
        long have = before;
        long nextN = before + 1;
        String why = null;
        boolean onConflict = true;
        for (InsertPlan.Variant variant : InsertPlan.Variant.values()) {
            InsertPlan.Insert insert;
            try {
                insert = plan.build(variant, onConflict);
            } catch (SQLException e) {
                rethrowIfBroken(e);
                why = "reading its foreign keys' parents failed: " + e.getMessage();
                break;
            }
            if (insert.impossible() != null) {
                why = insert.impossible();
                break;
            }
            double passRate = 1.0;
            int idle = 0;
            boolean failed = false;
            for (int i = 0; i < MAX_STATEMENTS && have < target; i++) {
                long missing = target - have;
                long span = (long) Math.min((double) Long.MAX_VALUE / 4, Math.ceil(missing / passRate * 1.1) + 16);
                long last = Math.min(insert.maxN(), nextN + span - 1);
                if (nextN > insert.maxN()) {
                    why = insert.limitedBy();
                    break;
                }
                long inserted;
                try {
                    inserted = run(insert.sql(), nextN, last, missing);
                } catch (SQLException e) {
                    rethrowIfBroken(e);
                    if (onConflict && ("0A000".equals(e.getSQLState()) || "55000".equals(e.getSQLState()))
                            && String.valueOf(e.getMessage()).contains("ON CONFLICT")) {
                        onConflict = false;
                        insert = plan.build(variant, false);
                        i--;
                        continue;
                    }
                    why = InsertPlan.Variant.values()[0] == variant || why == null ? firstLine(e) : why;
                    failed = true;
                    break;
                }
                have += inserted;
                passRate = Math.max(1.0 / 64, Math.min(1.0, (double) inserted / (last - nextN + 1)));
                nextN = last + 1;
                idle = inserted == 0 ? idle + 1 : 0;
                if (idle >= 2) {
                    why = "no generated row passed its checks, partition bounds and unique indexes";
                    break;
                }
            }
            if (have >= target || (!failed && have > before)) {
                if (have >= target) {
                    why = null;
                } else if (why == null) {
                    why = "only this many generated rows passed its checks, partition bounds and unique indexes";
                }
                break;
            }
        }
        long after = count(table.name());
        String reason = after >= target ? null : "filled " + after + " of " + target + " rows: " + why;
        return new TableFill(table.name(), before, after, Duration.ofNanos(System.nanoTime() - started), reason);
    }

    private long run(String sql, long first, long last, long limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, first);
            statement.setLong(2, last);
            statement.setLong(3, limit);
            return statement.executeLargeUpdate();
        }
    }

    long count(String table) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)) + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }

    /** A connection failure (class 08, or a connection that no longer answers) ends the fill. */
    void rethrowIfBroken(SQLException e) throws SQLException {
        String state = e.getSQLState();
        if ((state != null && state.startsWith("08")) || connection.isClosed() || !connection.isValid(5)) {
            throw e;
        }
    }
}
