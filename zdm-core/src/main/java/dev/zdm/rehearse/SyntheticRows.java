package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fills a database's tables with synthetic rows that satisfy their constraints, so a rehearsal runs changesets on
 * tables of a known size. Set-based ({@code INSERT ... SELECT ... FROM generate_series}), with a value expression
 * per column built from the catalog.
 * <ol>
 * <li>Read every table to fill ({@link FillCatalog}): columns and types (domains resolved), unique indexes, CHECKs,
 * FOREIGN KEYs, partition bounds, triggers.</li>
 * <li>Order them parents first ({@link FillOrder}); a FOREIGN KEY cycle is broken at a nullable key, which is
 * filled with NULL and pointed at parent rows once every table is filled.</li>
 * <li>Fill each table up to {@code rowsPerTable} ({@link TableFiller}); a table that cannot be filled (fully) says
 * why in {@link TableFill#skippedBecause()} and the others go on.</li>
 * <li>Point the deferred keys at rows, then {@code ANALYZE} every table.</li>
 * </ol>
 * Triggers stay enabled: an application's audit trigger fires for every synthetic row, as it would in production.
 */
public final class SyntheticRows {

    private SyntheticRows() {
    }

    /**
     * Fills every ordinary (and partitioned) table in the database's user schemas (not {@code pg_catalog},
     * {@code information_schema}, zdm's own {@code zdm_*} tables, nor Liquibase's changelog tables) so that each holds
     * {@code rowsPerTable} rows: tables that already hold rows are topped up to that count. Runs in auto-commit
     * (a transaction open on the connection is committed first; the connection's mode is restored after).
     *
     * @throws SQLException when the connection fails; a table that cannot be filled is reported, not thrown
     */
    public static FillReport fill(Connection connection, long rowsPerTable) throws SQLException {
        if (rowsPerTable < 0) {
            throw new IllegalArgumentException("rowsPerTable must be 0 or more, not " + rowsPerTable);
        }
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.setAutoCommit(true);
        }
        try {
            FillOrder.Plan plan = FillOrder.of(new FillCatalog(connection).tables());
            TableFiller filler = new TableFiller(connection);
            List<TableFill> fills = new ArrayList<>();
            for (FillTable table : plan.tables()) {
                Set<String> deferred = plan.deferred().getOrDefault(table.name(), Set.of());
                try {
                    fills.add(filler.fill(table, rowsPerTable, deferred));
                } catch (SQLException e) {
                    filler.rethrowIfBroken(e);
                    fills.add(new TableFill(table.name(), -1, -1, Duration.ZERO, TableFiller.firstLine(e)));
                }
            }
            for (int i = 0; i < fills.size(); i++) {
                FillTable table = plan.tables().get(i);
                for (ForeignKey key : table.foreignKeys()) {
                    if (plan.isDeferred(table, key)) {
                        fills.set(i, pointAtParents(connection, filler, table, key, fills.get(i)));
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (FillTable table : plan.tables()) {
                    statement.execute("ANALYZE " + table.name());
                }
            }
            return new FillReport(fills);
        } finally {
            if (!autoCommit) {
                connection.setAutoCommit(false);
            }
        }
    }

    /** Sets a deferred FOREIGN KEY's NULLs to parent keys by row number (nine rows in ten; the rest stay roots). */
    private static TableFill pointAtParents(Connection connection, TableFiller filler, FillTable table, ForeignKey key,
            TableFill fill) throws SQLException {
        long started = System.nanoTime();
        List<String> childColumns = key.columns().stream().map(attnum -> table.column(attnum).quoted()).toList();
        String parentWhere = String.join(" AND ", key.parentColumns().stream().map(c -> c + " IS NOT NULL").toList());
        String problem = null;
        if (table.partitioned()) {
            problem = "foreign key " + key.name() + " left NULL (rows of a partitioned table are not updated in place)";
        } else {
            try (Statement statement = connection.createStatement()) {
                long parents;
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + key.parentTable() + " WHERE " + parentWhere)) {
                    rs.next();
                    parents = rs.getLong(1);
                }
                if (parents > 0) {
                    List<String> set = new ArrayList<>();
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < childColumns.size(); i++) {
                        set.add(childColumns.get(i) + " = zdm_p.zdm_k" + i);
                        keys.add(key.parentColumns().get(i) + " AS zdm_k" + i);
                    }
                    statement.executeUpdate("UPDATE " + table.name() + " AS zdm_c SET " + String.join(", ", set)
                            + " FROM (SELECT ctid AS zdm_tid, row_number() OVER () - 1 AS zdm_rn FROM " + table.name() + " WHERE "
                            + String.join(" AND ", childColumns.stream().map(c -> c + " IS NULL").toList()) + ") zdm_t"
                            + " JOIN (SELECT row_number() OVER () - 1 AS zdm_rn, " + String.join(", ", keys) + " FROM "
                            + key.parentTable() + " WHERE " + parentWhere + ") zdm_p ON zdm_p.zdm_rn = zdm_t.zdm_rn % " + parents
                            + " WHERE zdm_c.ctid = zdm_t.zdm_tid AND zdm_t.zdm_rn % 10 <> 9");
                }
            } catch (SQLException e) {
                filler.rethrowIfBroken(e);
                problem = "foreign key " + key.name() + " left NULL: " + TableFiller.firstLine(e);
            }
        }
        Duration took = fill.took().plusNanos(System.nanoTime() - started);
        String reason = problem == null ? fill.skippedBecause()
                : fill.skippedBecause() == null ? problem : fill.skippedBecause() + "; " + problem;
        return new TableFill(fill.table(), fill.rowsBefore(), fill.rowsAfter(), took, reason);
    }
}
