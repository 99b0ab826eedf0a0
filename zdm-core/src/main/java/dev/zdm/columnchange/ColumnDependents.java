package dev.zdm.columnchange;

import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Objects that follow a column by attribute number, so a rename swap at cutover would leave them on the old column.
 * Views can be recreated at cutover; everything else is listed so expandColumnType can refuse it up front.
 */
public final class ColumnDependents {

    private ColumnDependents() {
    }

    /** @param views views to recreate at cutover; @param blocking what cannot be moved, described */
    public record Found(List<String> views, List<String> blocking) {
    }

    public static Found of(Connection connection, String table, String column) throws SQLException {
        List<String> views = new ArrayList<>();
        List<String> blocking = new ArrayList<>();
        String t = TableName.quote(table);
        String att = "(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)";
        // Views by regclass text: schema-qualified when their schema is not on the search_path, quoted where needed.
        for (String[] row : rows(connection, "SELECT DISTINCT c.relkind::text, c.oid::regclass::text, (c.oid = d.refobjid)::text"
                + " FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class c ON c.oid = r.ev_class"
                + " WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = to_regclass(?) AND d.refobjsubid = " + att, t, t,
                column)) {
            if ("v".equals(row[0]) && !"true".equals(row[2])) {
                views.add(row[1]);
            } else {
                blocking.add(("m".equals(row[0]) ? "materialized view " : "rule on ") + row[1]);
            }
        }
        for (String[] row : rows(connection, "SELECT DISTINCT p.polname, '' FROM pg_policy p JOIN pg_depend d ON d.classid ="
                + " 'pg_policy'::regclass AND d.objid = p.oid WHERE d.refobjid = to_regclass(?) AND d.refobjsubid = " + att,
                t, t, column)) {
            blocking.add("policy " + row[0]);
        }
        for (String[] row : rows(connection, "SELECT stxname, '' FROM pg_statistic_ext WHERE stxrelid = to_regclass(?)"
                + " AND " + att + " = ANY (stxkeys)", t, t, column)) {
            blocking.add("statistics object " + row[0]);
        }
        for (String[] row : rows(connection, "SELECT DISTINCT tg.tgname, '' FROM pg_trigger tg LEFT JOIN pg_depend d"
                + " ON d.classid = 'pg_trigger'::regclass AND d.objid = tg.oid AND d.refobjsubid = " + att
                + " WHERE tg.tgrelid = to_regclass(?) AND NOT tg.tgisinternal AND tg.tgname NOT LIKE 'zdm\\_%'"
                + " AND (d.objid IS NOT NULL OR " + att + " = ANY (tg.tgattr))", t, column, t, t, column)) {
            blocking.add("trigger " + row[0] + " (UPDATE OF or WHEN on the column)");
        }
        for (String[] row : rows(connection, "SELECT DISTINCT a.attname, '' FROM pg_attrdef ad JOIN pg_attribute a"
                + " ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass"
                + " AND d.objid = ad.oid WHERE ad.adrelid = to_regclass(?) AND a.attgenerated <> '' AND d.refobjsubid = " + att,
                t, t, column)) {
            blocking.add("generated column " + row[0]);
        }
        if (serverMajor(connection) >= 15) {
            for (String[] row : rows(connection, "SELECT p.pubname, '' FROM pg_publication_rel pr JOIN pg_publication p"
                    + " ON p.oid = pr.prpubid WHERE pr.prrelid = to_regclass(?) AND " + att + " = ANY (pr.prattrs)", t, t,
                    column)) {
                blocking.add("publication column list of " + row[0]);
            }
        }
        return new Found(views, blocking);
    }

    private static int serverMajor(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseMajorVersion();
    }

    private static List<String[]> rows(Connection connection, String sql, String... parameters) throws SQLException {
        return Sql.rows(connection, sql, parameters);
    }
}
