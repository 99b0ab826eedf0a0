package dev.zdm.guard.internal;

import dev.zdm.sql.LockLevel;
import dev.zdm.sql.NotNullProof;
import dev.zdm.sql.SchemaFacts;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the rules' questions from the live catalog, on the connection that is about to run the
 * statement (so it sees what this transaction already did). Only questions the rules ask are queried.
 * The emptiness check reads the table under the guard's lock timeout; everything else reads the catalog.
 */
public final class CatalogFacts implements SchemaFacts {

    private final Connection connection;
    private final Set<TableName> createdTables;

    public CatalogFacts(Connection connection, Set<TableName> createdTables) {
        this.connection = connection;
        this.createdTables = createdTables;
    }

    @Override
    public Optional<Boolean> isEmpty(TableName table) {
        if (!exists(table)) {
            return Optional.empty(); // a name zdm cannot resolve is not known, so judged as big
        }
        return Optional.of(query("SELECT NOT EXISTS (SELECT 1 FROM " + table.sql() + " LIMIT 1)", ps -> { }));
    }

    @Override
    public boolean createdInThisRun(TableName table) {
        return createdTables.stream().anyMatch(created -> created.matches(table));
    }

    @Override
    public boolean isPartitioned(TableName table) {
        return query("SELECT coalesce((SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(?)), false)",
                ps -> ps.setString(1, table.sql()));
    }

    @Override
    public Optional<String> columnType(TableName table, String column) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, table.sql());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CatalogException(e);
        }
    }

    @Override
    public boolean hasValidatedNotNullCheck(TableName table, String column) {
        return !notNullCheckNames(table, column).isEmpty();
    }

    @Override
    public Set<String> notNullCheckNames(TableName table, String column) {
        Set<String> names = new HashSet<>();
        for (String[] row : rows("SELECT conname, substring(pg_get_constraintdef(oid) FROM 6) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND convalidated", table.sql())) {
            if (NotNullProof.proves(row[1], column)) {
                names.add(row[0]);
            }
        }
        return names;
    }

    @Override
    public boolean hasValidatedCheckOn(TableName table, String column) {
        return query("SELECT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
                + " AND a.attname = ? WHERE c.conrelid = to_regclass(?) AND c.contype = 'c' AND c.convalidated"
                + " AND a.attnum = ANY (c.conkey))", ps -> {
                    ps.setString(1, column);
                    ps.setString(2, table.sql());
                });
    }

    @Override
    public LockLevel heldLock(TableName table) {
        LockLevel held = LockLevel.NONE;
        for (String[] row : rows("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'"
                + " AND granted AND relation = to_regclass(?)", table.sql())) {
            held = held.max(LockLevel.parse(row[0].replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2")));
        }
        return held;
    }

    @Override
    public Optional<String> columnCollation(TableName table, String column) {
        List<String[]> rows = rows("SELECT coalesce(co.collname, '') FROM pg_attribute a LEFT JOIN pg_collation co"
                + " ON co.oid = a.attcollation WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attcollation <> 0",
                table.sql(), column);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0)[0]);
    }

    @Override
    public Optional<Boolean> isNullable(TableName table, String column) {
        List<String[]> rows = rows("SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
                + " AND attnum > 0 AND NOT attisdropped", table.sql(), column);
        return rows.isEmpty() ? Optional.empty() : Optional.of("t".equals(rows.get(0)[0]));
    }

    @Override
    public Optional<List<String>> indexColumns(String index) {
        List<String> columns = new ArrayList<>();
        for (String[] row : rows("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY (i.indkey) WHERE i.indexrelid = to_regclass(?)", index)) {
            columns.add(row[0]);
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    @Override
    public Optional<TableName> indexTable(String index) {
        List<String[]> rows = rows("SELECT n.nspname, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indexrelid = to_regclass(?)", index);
        return rows.isEmpty() ? Optional.empty() : Optional.of(new TableName(rows.get(0)[0], rows.get(0)[1]));
    }

    @Override
    public Optional<Boolean> domainHasConstraints(String type) {
        List<String[]> rows = rows("SELECT t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = t.oid)"
                + " FROM pg_type t WHERE t.oid = to_regtype(?) AND t.typtype = 'd'", type);
        return rows.isEmpty() ? Optional.empty() : Optional.of("t".equals(rows.get(0)[0]));
    }

    @Override
    public Optional<Boolean> domainInUse(String domain) {
        // a column of the domain (or of a domain over it) in an ordinary or partitioned table counts as in use
        return Optional.of(query("SELECT EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE c.relkind IN ('r', 'p') AND NOT a.attisdropped"
                + " AND (t.oid = to_regtype(?) OR t.typbasetype = to_regtype(?)))", ps -> {
                    ps.setString(1, domain);
                    ps.setString(2, domain);
                }));
    }

    @Override
    public Optional<List<String>> partitionKey(TableName table) {
        List<String> columns = new ArrayList<>();
        for (String[] row : rows("SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid"
                + " AND a.attnum = ANY (p.partattrs) WHERE p.partrelid = to_regclass(?)", table.sql())) {
            columns.add(row[0]);
        }
        return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    private List<String[]> rows(String sql, String... parameters) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int width = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new CatalogException(e);
        }
    }

    @Override
    public boolean hasCheckConstraintOn(TableName table, String column) {
        return query("SELECT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
                + " AND a.attname = ? WHERE c.conrelid = to_regclass(?) AND c.contype = 'c' AND a.attnum = ANY (c.conkey))",
                ps -> {
                    ps.setString(1, column);
                    ps.setString(2, table.sql());
                });
    }

    @Override
    public boolean hasExpressionIndexOn(TableName table, String column) {
        return query("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = ?"
                + " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid"
                + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indrelid AND d.refobjsubid = a.attnum"
                + " WHERE i.indrelid = to_regclass(?) AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL))", ps -> {
                    ps.setString(1, column);
                    ps.setString(2, table.sql());
                });
    }

    @Override
    public Optional<Boolean> isVolatileFunction(String name) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT bool_or(provolatile = 'v') FROM pg_proc WHERE proname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean known = rs.getObject(1) != null;
                return known ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CatalogException(e);
        }
    }

    private boolean exists(TableName table) {
        return query("SELECT to_regclass(?) IS NOT NULL", ps -> ps.setString(1, table.sql()));
    }

    private boolean query(String sql, Binder binder) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new CatalogException(e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Carries an SQLException out of the {@link SchemaFacts} methods, which cannot declare it. */
    static final class CatalogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CatalogException(SQLException cause) {
            super(cause);
        }

        SQLException sqlException() {
            return (SQLException) getCause();
        }
    }
}
