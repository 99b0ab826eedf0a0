package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@link SqlType}s from {@code pg_type}, resolving domains (and domains over domains) to their base type. */
final class TypeReader {

    private final Connection connection;
    private final Map<String, SqlType> cache = new HashMap<>();

    TypeReader(Connection connection) {
        this.connection = connection;
    }

    SqlType type(long oid, int typmod) throws SQLException {
        String key = oid + "/" + typmod;
        SqlType known = cache.get(key);
        if (known == null) {
            known = read(oid, typmod);
            cache.put(key, known);
        }
        return known;
    }

    private SqlType read(long oid, int typmod) throws SQLException {
        String typname;
        String typtype;
        String category;
        long element;
        long base;
        int baseTypmod;
        boolean notNull;
        String name;
        try (PreparedStatement statement = connection.prepareStatement("SELECT t.typname, t.typtype, t.typcategory, t.typelem,"
                + " t.typbasetype, t.typtypmod, t.typnotnull, format_type(t.oid, ?) FROM pg_type t WHERE t.oid = ?")) {
            statement.setInt(1, typmod);
            statement.setLong(2, oid);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("type " + oid + " is not in pg_type");
                }
                typname = rs.getString(1);
                typtype = rs.getString(2);
                category = rs.getString(3);
                element = rs.getLong(4);
                base = rs.getLong(5);
                baseTypmod = rs.getInt(6);
                notNull = rs.getBoolean(7);
                name = rs.getString(8);
            }
        }
        if (typtype.equals("d")) {
            SqlType resolved = type(base, typmod >= 0 ? typmod : baseTypmod);
            List<String> checks = new ArrayList<>(resolved.domainChecks());
            checks.addAll(domainChecks(oid));
            return new SqlType(name, resolved.typname(), resolved.typtype(), resolved.category(), resolved.typmod(),
                    resolved.baseName(), resolved.enumLabels(), resolved.element(), List.copyOf(checks),
                    notNull || resolved.domainNotNull());
        }
        List<String> labels = typtype.equals("e") ? labels(oid) : List.of();
        SqlType elementType = category.equals("A") && element != 0 ? type(element, typmod) : null;
        return new SqlType(name, typname, typtype, category, typmod, name, labels, elementType, List.of(), false);
    }

    private List<String> domainChecks(long oid) throws SQLException {
        List<String> checks = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contypid = ? AND contype = 'c' ORDER BY conname")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    checks.add(checkExpression(rs.getString(1)));
                }
            }
        }
        return checks;
    }

    /** {@code CHECK ((VALUE > 0)) NOT VALID} → {@code (VALUE > 0)}. */
    static String checkExpression(String definition) {
        String text = definition.strip();
        if (text.endsWith(" NOT VALID")) {
            text = text.substring(0, text.length() - " NOT VALID".length());
        }
        if (text.startsWith("CHECK ")) {
            text = text.substring("CHECK ".length());
        }
        return text;
    }

    private List<String> labels(long oid) throws SQLException {
        List<String> labels = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT enumlabel FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    labels.add(rs.getString(1));
                }
            }
        }
        return labels;
    }
}
