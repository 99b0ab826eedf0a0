package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The catalog reads of a rehearsal: user tables (not zdm's, not Liquibase's) and their storage. */
final class Catalog {

    static final String USER_TABLES = "c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_%' AND c.relname NOT LIKE 'zdm\\_%' AND c.relname NOT LIKE 'databasechangelog%'";

    private Catalog() {
    }

    /** The user tables by oid. */
    static Map<Long, UserTable> tables(Connection connection) throws SQLException {
        Map<Long, Map<Long, Long>> indexes = new HashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT i.indrelid::bigint,"
                + " i.indexrelid::bigint, ic.relfilenode::bigint FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLES)) {
            while (rs.next()) {
                indexes.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getLong(3));
            }
        }
        Map<Long, UserTable> tables = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT c.oid::bigint,"
                + " CASE WHEN n.nspname = 'public' THEN quote_ident(c.relname) ELSE format('%I.%I', n.nspname, c.relname) END,"
                + " format('%I.%I', n.nspname, c.relname), greatest(c.reltuples, 0)::bigint, c.relfilenode::bigint"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLES + " ORDER BY 2")) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                tables.put(oid, new UserTable(oid, rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        Map.copyOf(indexes.getOrDefault(oid, Map.of()))));
            }
        }
        return tables;
    }

    /** Whether any user table holds a row. */
    static String firstTableWithRows(Connection connection) throws SQLException {
        for (UserTable table : tables(connection).values()) {
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table.sqlName() + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return table.name();
                }
            }
        }
        return null;
    }

    /** The table locks {@code pid} holds now: relation oid to mode ({@code AccessExclusiveLock}). */
    static Map<Long, String> locks(Connection connection, int pid) throws SQLException {
        Map<Long, String> locks = new HashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT relation::bigint, mode"
                + " FROM pg_locks WHERE locktype = 'relation' AND granted AND pid = " + pid)) {
            while (rs.next()) {
                locks.merge(rs.getLong(1), rs.getString(2), (a, b) -> Locks.level(a).compareTo(Locks.level(b)) >= 0 ? a : b);
            }
        }
        return locks;
    }

    static int backendPid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean exists(Connection connection, String relation) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('" + relation + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
