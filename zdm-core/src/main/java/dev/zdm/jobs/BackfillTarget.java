package dev.zdm.jobs;

import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.sql.FragmentProblem;
import dev.zdm.sql.SingleCommand;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A backfill job checked against the catalog, and the SQL of its batches.
 *
 * <p>A copy batch covers the next {@code n} keys after the cursor within the slice and writes
 * {@code CAST((using) AS target type)} where the target differs; a verify window reads the same range and writes
 * only where something still differs.
 */
record BackfillTarget(String table, String key, String keyType, String target, String targetType, String using, String where,
        PinnedSettings settings) {

    static BackfillTarget resolve(Connection connection, JobRow job) throws SQLException, BadJobException {
        // The row may come from an older zdm or a hand-written INSERT: check what is spliced before anything is sent.
        for (FragmentAttribute attribute : List.of(new FragmentAttribute("table", job.table(), Fragment.TABLE),
                new FragmentAttribute("targetColumn", job.targetColumn(), Fragment.IDENTIFIER),
                new FragmentAttribute("using", job.using(), Fragment.EXPRESSION),
                new FragmentAttribute("where", job.where(), Fragment.PREDICATE))) {
            java.util.Optional<FragmentProblem> problem = attribute.check();
            if (problem.isPresent()) {
                throw new BadJobException(problem.get().describe());
            }
        }
        String table = TableName.sqlOf(job.table());
        String key = null;
        String keyType = null;
        int keys = 0;
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indrelid = to_regclass(?) AND i.indisprimary")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key = rs.getString(1);
                    keyType = rs.getString(2);
                    keys++;
                }
            }
        }
        if (!exists(connection, table)) {
            throw new BadJobException("table " + job.table() + " does not exist");
        }
        if (keys != 1) {
            throw new BadJobException("table " + job.table() + (keys == 0 ? " has no primary key" : " has a composite primary key")
                    + "; zdm backfills walk a one-column primary key in keyset batches. Add one (e.g. a bigint identity"
                    + " column with a unique index, then PRIMARY KEY USING INDEX) or backfill with your own batches");
        }
        String targetType;
        try (PreparedStatement ps = connection.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, job.targetColumn());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BadJobException("table " + job.table() + " has no column " + job.targetColumn());
                }
                targetType = rs.getString(1);
            }
        }
        BackfillTarget target = new BackfillTarget(job.table(), key, keyType, job.targetColumn(), targetType, job.using(),
                job.where(), job.settings());
        target.typeCheck(connection);
        return target;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Lets PostgreSQL parse and type-check {@code using} and {@code where} without running them (one Parse, no execution). */
    private void typeCheck(Connection connection) throws SQLException, BadJobException {
        try {
            SingleCommand.describe(connection, "SELECT " + converted() + " FROM " + TableName.sqlOf(table)
                    + (where == null ? "" : " WHERE (" + where + ")"));
        } catch (SQLException e) {
            throw new BadJobException("using '" + using + "'" + (where == null ? "" : " / where '" + where + "'")
                    + " does not work on " + table + " as " + targetType + ": " + firstLine(e.getMessage()));
        }
    }

    long estimateRows(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, TableName.sqlOf(table));
            try (ResultSet rs = ps.executeQuery()) {
                long estimate = rs.next() ? rs.getLong(1) : 0;
                if (estimate > 0) {
                    return estimate;
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + TableName.sqlOf(table))) {
            rs.next();
            return rs.getLong(1); // never analyzed: count it (such a table is small or new)
        }
    }

    /**
     * The new value as an explicit cast, for comparisons only: it may truncate (varchar) where an assignment raises, but
     * then the row differs and is written with {@link #assigned()}, which raises.
     */
    String converted() {
        return "CAST((" + using + ") AS " + targetType + ")";
    }

    /**
     * Whether the row's target is not yet the new value. The explicit cast in {@link #converted()} cuts a string too long
     * for a length-limited target type, so there the texts are compared too: a value that would be cut always differs,
     * and its write (with {@link #assigned()}) raises, as a plain ALTER does.
     */
    String differs(String targetSql) {
        String name = dev.zdm.sql.SqlType.parse(targetType).name();
        boolean lengthLimited = List.of("varchar", "bpchar", "bit", "varbit").contains(name);
        return "(" + targetSql + " IS DISTINCT FROM " + converted() + (lengthLimited ? " OR " + targetSql + "::text IS DISTINCT FROM ("
                + using + ")::text" : "") + ")";
    }

    /**
     * The new value as written: the expression assigned to the column, so PostgreSQL converts it with assignment
     * semantics, as a plain {@code ALTER ... TYPE} does (a value too long raises 22001 rather than being cut).
     */
    String assigned() {
        return "(" + using + ")";
    }

    /** The rows after the cursor within the slice (and the job's {@code where}): the SQL condition. */
    private String range(boolean hasCursor, boolean hasUpper) {
        String k = TableName.quote(key);
        return "TRUE" + (hasCursor ? " AND " + k + " > CAST(? AS " + keyType + ")" : "")
                + (hasUpper ? " AND " + k + " <= CAST(? AS " + keyType + ")" : "") + (where == null ? "" : " AND (" + where + ")");
    }

    /**
     * A copy batch. Parameters: the cursor (if any), the slice's upper bound (if any), the batch size. Returns one
     * row: the batch's last key (text), keys scanned, rows written. {@code skipLocked} locks the rows to write with
     * {@code SKIP LOCKED} first; without it the rows are written directly (cheaper), under a short lock timeout.
     */
    String copySql(boolean hasCursor, boolean hasUpper, boolean skipLocked) {
        String t = TableName.sqlOf(table);
        String k = TableName.quote(key);
        String target = TableName.quote(this.target);
        if (skipLocked) {
            return "WITH zdm_batch AS (SELECT " + k + " AS zdm_k FROM " + t + " WHERE " + range(hasCursor, hasUpper)
                    + " ORDER BY " + k + " LIMIT ?), zdm_todo AS (SELECT zdm_t." + k + " AS zdm_k FROM " + t + " zdm_t JOIN"
                    + " zdm_batch ON zdm_t." + k + " = zdm_batch.zdm_k WHERE " + differs("zdm_t." + target)
                    + " FOR UPDATE OF zdm_t SKIP LOCKED), zdm_done AS (UPDATE " + t + " SET " + target + " = " + assigned()
                    + " FROM zdm_todo WHERE " + t + "." + k + " = zdm_todo.zdm_k RETURNING 1)"
                    + " SELECT (SELECT zdm_k::text AS zdm_last FROM zdm_batch ORDER BY zdm_k DESC LIMIT 1), (SELECT count(*) FROM zdm_batch),"
                    + " (SELECT count(*) FROM zdm_done)";
        }
        // Find the batch's last key with an index-only scan, then write the key range in one index range scan
        // (rather than one index probe per key). Parameters: cursor, upper, size, then the cursor again.
        // (no max(): PostgreSQL has none for uuid)
        return "WITH zdm_b AS (SELECT " + k + " AS zdm_k FROM " + t + " WHERE " + range(hasCursor, hasUpper) + " ORDER BY " + k
                + " LIMIT ?), zdm_end AS (SELECT (SELECT zdm_k FROM zdm_b ORDER BY zdm_k DESC LIMIT 1) AS zdm_k,"
                + " (SELECT count(*) FROM zdm_b) AS zdm_n),"
                + " zdm_done AS (UPDATE " + t + " SET " + target + " = " + assigned() + " FROM zdm_end WHERE "
                + range(hasCursor, false) + " AND " + t + "." + k
                + " <= zdm_end.zdm_k AND " + differs(t + "." + target) + " RETURNING 1)"
                + " SELECT (SELECT zdm_k::text FROM zdm_end), (SELECT zdm_n FROM zdm_end), (SELECT count(*) FROM zdm_done)";
    }

    /**
     * A verify window, read-only: its last key, keys scanned, and rows whose target differs from {@code using}.
     * Parameters as for {@link #copySql}.
     */
    String verifySql(boolean hasCursor, boolean hasUpper) {
        String k = TableName.quote(key);
        return "WITH zdm_w AS (SELECT * FROM " + TableName.sqlOf(table) + " WHERE " + range(hasCursor, hasUpper) + " ORDER BY "
                + k + " LIMIT ?) SELECT (SELECT " + k + "::text AS zdm_last FROM zdm_w ORDER BY " + k + " DESC LIMIT 1), count(*),"
                + " count(*) FILTER (WHERE " + differs("zdm_t." + TableName.quote(target))
                + ") FROM zdm_w zdm_t";
    }

    /** Writes the differing rows of a verify window (waiting for row locks up to the lock timeout). */
    String fixSql(boolean hasCursor) {
        return "UPDATE " + TableName.sqlOf(table) + " SET " + TableName.quote(target) + " = " + assigned() + " WHERE "
                + range(hasCursor, true) + " AND " + differs(TableName.quote(target));
    }

    /**
     * The keys of the next batch, as text, in key order, for the row-by-row fallback. The output column has its own
     * name: an unnamed {@code id::text} would be called {@code id}, and {@code ORDER BY id} would then sort the text
     * ("1000" before "2"), skipping rows.
     */
    String keysSql(boolean hasCursor, boolean hasUpper) {
        String k = TableName.quote(key);
        return "SELECT " + k + "::text AS zdm_key_text FROM " + TableName.sqlOf(table) + " WHERE " + range(hasCursor, hasUpper)
                + " ORDER BY " + k + " LIMIT ?";
    }

    /** Writes one row, for the row-by-row fallback. */
    String rowSql() {
        return "UPDATE " + TableName.sqlOf(table) + " SET " + TableName.quote(target) + " = " + assigned() + " WHERE "
                + TableName.quote(key) + " = CAST(? AS " + keyType + ") AND " + differs(TableName.quote(target));
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
