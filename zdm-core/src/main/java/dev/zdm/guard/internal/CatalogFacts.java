package dev.zdm.guard.internal;

import dev.zdm.sql.SchemaFacts;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
            return Optional.of(true);
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
        return query("SELECT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = to_regclass(?) AND c.contype = 'c'"
                + " AND c.convalidated AND regexp_replace(pg_get_constraintdef(c.oid), '[()\\s]', '', 'g')"
                + " = 'CHECK' || quote_ident(?) || 'ISNOTNULL')", ps -> {
                    ps.setString(1, table.sql());
                    ps.setString(2, column);
                });
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
