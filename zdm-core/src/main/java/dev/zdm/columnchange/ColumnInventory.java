package dev.zdm.columnchange;

import dev.zdm.sql.SqlRewrite;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What exists on a column right now, read from the live catalog with typed rows. Expand reads it to plan the copies;
 * cutover reads it again (before and under its lock) because objects can be created on the column between stages.
 */
public final class ColumnInventory {

    private ColumnInventory() {
    }

    /**
     * An index that contains the column (as a key, in an expression or in its predicate).
     *
     * @param constraintType {@code p}, {@code u} or {@code x} when the index backs a constraint, else {@code null}
     */
    public record Index(String name, String definition, String constraintName, String constraintType, boolean replicaIdentity) {

        /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY copy ON t ...} with the shadow in place of the column. */
        public String copySql(String copyName, String column, String shadow) {
            int on = definition.indexOf(" ON ");
            int open = definition.indexOf('(', on);
            String head = (definition.startsWith("CREATE UNIQUE INDEX") ? "CREATE UNIQUE INDEX" : "CREATE INDEX")
                    + " CONCURRENTLY " + TableName.quote(copyName);
            return head + definition.substring(on, open) + SqlRewrite.replaceColumn(definition.substring(open), column,
                    TableName.quote(shadow));
        }
    }

    /** A CHECK or foreign key of the table that involves the column. */
    public record Constraint(String name, String type, String definition) {
    }

    public static List<Index> indexes(Connection connection, String table, String column) throws SQLException {
        List<Index> found = new ArrayList<>();
        String t = TableName.quote(table);
        for (String[] row : Sql.rows(connection, "SELECT c.relname, pg_get_indexdef(i.indexrelid), con.conname,"
                + " con.contype::text, i.indisreplident::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid LEFT JOIN pg_constraint con"
                + " ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')"
                + " WHERE i.indrelid = to_regclass(?) AND (EXISTS (SELECT 1 FROM pg_attribute a"
                + " WHERE a.attrelid = i.indrelid AND a.attname = ? AND a.attnum = ANY (i.indkey)) OR EXISTS (SELECT 1"
                + " FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                + " WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND a.attname = ?)) ORDER BY c.relname",
                t, column, column)) {
            found.add(new Index(row[0], row[1], row[2], row[3], "true".equals(row[4])));
        }
        return found;
    }

    public static List<Constraint> constraints(Connection connection, String table, String column) throws SQLException {
        List<Constraint> found = new ArrayList<>();
        for (String[] row : Sql.rows(connection, "SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype IN ('c', 'f') AND (SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = conrelid AND attname = ?) = ANY (conkey) ORDER BY conname", TableName.quote(table), column)) {
            found.add(new Constraint(row[0], row[1], row[2]));
        }
        return found;
    }

    /** Exclusion constraints on the column: zdm cannot copy them without a blocking index build. */
    public static List<String> exclusionConstraints(Connection connection, String table, String column) throws SQLException {
        return indexes(connection, table, column).stream().filter(i -> "x".equals(i.constraintType()))
                .map(Index::constraintName).toList();
    }

    /** {@code GRANT ... (column) ...} statements that give {@code column}'s privileges to {@code target}. */
    public static List<String> columnGrants(Connection connection, String table, String column, String target) throws SQLException {
        List<String> grants = new ArrayList<>();
        for (String[] row : Sql.rows(connection, "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                + " quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable::text FROM pg_attribute att,"
                + " aclexplode(att.attacl) a WHERE att.attrelid = to_regclass(?) AND att.attname = ? AND att.attacl IS NOT NULL"
                + " ORDER BY 2, 1", TableName.quote(table), column)) {
            grants.add("GRANT " + row[0] + " (" + TableName.quote(target) + ") ON " + TableName.quote(table) + " TO " + row[1]
                    + ("true".equals(row[2]) ? " WITH GRANT OPTION" : ""));
        }
        return grants;
    }

    /**
     * A fingerprint of every object on the table and its referencing tables (indexes, constraints, triggers, rules,
     * policies, dependent views): read before the cutover's lock and again under it, so an object created in between
     * is never left behind.
     */
    public static String fingerprint(Connection connection, String table) throws SQLException {
        String[] row = Sql.row(connection, "SELECT concat_ws('|', (SELECT string_agg(indexrelid::text, ',' ORDER BY"
                + " indexrelid) FROM pg_index WHERE indrelid = to_regclass(?)), (SELECT string_agg(oid::text, ',' ORDER BY oid)"
                + " FROM pg_constraint WHERE conrelid = to_regclass(?) OR confrelid = to_regclass(?)), (SELECT string_agg(oid::text,"
                + " ',' ORDER BY oid) FROM pg_trigger WHERE tgrelid = to_regclass(?)), (SELECT string_agg(objid::text, ','"
                + " ORDER BY objid) FROM pg_depend WHERE refobjid = to_regclass(?) AND classid IN ('pg_rewrite'::regclass,"
                + " 'pg_policy'::regclass)), (SELECT relacl::text FROM pg_class WHERE oid = to_regclass(?)),"
                + " (SELECT string_agg(coalesce(attacl::text, ''), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?)))", TableName.quote(table), TableName.quote(table), TableName.quote(table),
                TableName.quote(table), TableName.quote(table), TableName.quote(table), TableName.quote(table));
        return row[0];
    }
}
