package dev.zdm.columnchange;

import dev.zdm.liquibase.change.ZdmNames;

import dev.zdm.columnchange.ColumnChangeRecord.CreatedObject;
import dev.zdm.columnchange.ColumnChangeRecord.Kind;
import dev.zdm.sql.SqlRewrite;
import dev.zdm.sql.TableName;
import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.Jobs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a column swap needs to know, read from the live catalog and the change's record, and the statements of the swap.
 * Cutover: the shadow becomes the column, the column becomes {@code <column>_zdm_old}; every name (indexes,
 * constraints, default, sequence, identity, NOT NULL, views, column privileges) follows, and a reverse trigger keeps
 * the old column in sync. Anything on the column that the swap could not carry is listed in {@link #missing}: the
 * stage refuses rather than leave it on the old column for the contract to drop.
 */
public final class ColumnSwap {

    public final ColumnChangeRecord change;
    public final String t;
    public final boolean notNull;
    /** PostgreSQL 18 names NOT NULL constraints: the column's, to keep it across the swap; {@code null} before 18. */
    public final String notNullName;
    public final String defaultExpression;
    /** The default as the column that takes the name gets it: converted to its type as a plain ALTER would. */
    public final String movedDefault;
    public final String identity;
    public final String sequence;
    public final String primaryKey;
    /** Index on the column → its partner on the other column (the primary key's index excluded). */
    public final Map<String, String> indexes = new LinkedHashMap<>();
    /** Index of a UNIQUE constraint on the column → {constraint, deferrable clause, partner index}. */
    public final Map<String, String[]> uniqueConstraints = new LinkedHashMap<>();
    /** Constraint on the column → its partner on the other column. */
    public final Map<String, String> constraints = new LinkedHashMap<>();
    /** Foreign keys of other tables that reference the column: {table, constraint, definition}. */
    public final List<String[]> referencing = new ArrayList<>();
    /** View → its definition, read before the swap. */
    public final Map<String, String> views = new LinkedHashMap<>();
    /** View → what re-applies its options, owner and grants after it is recreated. */
    public final Map<String, List<String>> viewSettings = new LinkedHashMap<>();
    /** Column privileges of the column, re-granted on the column that takes its name. */
    public final List<String> grants;
    /** What the swap cannot carry, each with its fix; the stage refuses while this is not empty. */
    public final List<String> missing = new ArrayList<>();
    public final String fingerprint;
    public String primaryKeyCopy;

    private ColumnSwap(ColumnChangeRecord change, Connection connection, boolean reverting) throws SQLException {
        this.change = change;
        this.t = TableName.quote(change.table());
        String column = change.column();
        String partnerColumn = reverting ? change.oldColumn() : change.shadow();
        String[] info = Sql.row(connection, "SELECT a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text,"
                + " pg_get_serial_sequence(?, ?) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND"
                + " d.adnum = a.attnum WHERE a.attrelid = to_regclass(?) AND a.attname = ?", t, column, t, column);
        this.notNull = "true".equals(info[0]);
        this.defaultExpression = info[1];
        this.identity = info[2] == null || info[2].isEmpty() ? null : info[2];
        this.sequence = info[3];
        if (defaultExpression != null && identity == null) {
            String fromType = Mirrors.columnType(connection, change.table(), column);
            String toType = Mirrors.columnType(connection, change.table(), partnerColumn);
            this.movedDefault = fromType == null || toType == null ? defaultExpression
                    : DefaultProbe.convert(connection, defaultExpression, fromType, toType);
            if (movedDefault == null) {
                missing.add("the default " + defaultExpression + " of " + column + " does not convert to " + toType + " (a plain"
                        + " ALTER TABLE ... TYPE refuses it too); change or drop the default first (ALTER TABLE " + t
                        + " ALTER COLUMN " + TableName.quote(column) + " SET DEFAULT ...)");
            }
        } else {
            this.movedDefault = defaultExpression;
        }
        String[] nn = connection.getMetaData().getDatabaseMajorVersion() >= 18 ? Sql.row(connection, "SELECT conname FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'n' AND conkey = ARRAY[(SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ?)]", t, t, column) : null;
        this.notNullName = nn == null ? null : nn[0];
        String[] pk = Sql.row(connection, "SELECT c.conname, i.relname FROM pg_constraint c JOIN pg_class i ON i.oid = c.conindid"
                + " WHERE c.conrelid = to_regclass(?) AND c.contype = 'p' AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname = ?)]", t, t, column);
        this.primaryKey = pk == null ? null : pk[0];
        Map<String, String> indexPartners = partners(change, reverting ? Kind.OLD_INDEX : Kind.INDEX_COPY, reverting);
        for (ColumnInventory.Index index : ColumnInventory.indexes(connection, change.table(), column)) {
            String partner = indexPartners.getOrDefault(index.name(), conventional(index.name(), reverting));
            if (index.replicaIdentity()) {
                missing.add("index " + index.name() + " is the table's replica identity, which a rename swap cannot move; set"
                        + " REPLICA IDENTITY to another index (or DEFAULT/FULL) before this stage and back after");
            } else if ("x".equals(index.constraintType())) {
                missing.add("exclusion constraint " + index.constraintName() + ": zdm cannot move it without a blocking index"
                        + " build; drop it before this stage and add it back after the contract");
            } else if (partner == null || Sql.row(connection, "SELECT 1 FROM pg_index WHERE indrelid = to_regclass(?) AND indisvalid"
                    + " AND indexrelid = to_regclass(?)", t, TableName.quote(partner)) == null) {
                String copy = ZdmNames.of(index.name(), "zdm");
                missing.add("index " + index.name() + " on " + column + (reverting ? " was created after the cutover; drop it"
                        + " (and recreate it after the revert)" : " has no copy on " + partnerColumn + " (it was created after"
                        + " expandColumnType); build one first with `" + index.copySql(copy, column, partnerColumn)
                        + "` (or drop the index)"));
            } else if (pk != null && index.name().equals(pk[1])) {
                primaryKeyCopy = partner;
            } else if ("u".equals(index.constraintType())) {
                String[] unique = Sql.row(connection, "SELECT CASE WHEN condeferrable THEN ' DEFERRABLE' ELSE '' END"
                        + " || CASE WHEN condeferred THEN ' INITIALLY DEFERRED' ELSE '' END FROM pg_constraint WHERE contype = 'u'"
                        + " AND conindid = to_regclass(?)", TableName.quote(index.name()));
                uniqueConstraints.put(index.name(), new String[] { index.constraintName(), unique[0], partner });
            } else {
                indexes.put(index.name(), partner);
            }
        }
        Map<String, String> constraintPartners = partners(change, reverting ? Kind.OLD_CONSTRAINT : Kind.CONSTRAINT_COPY, reverting);
        List<String> helpers = change.objects(Kind.NOT_NULL_CHECK).stream().map(CreatedObject::name).toList();
        for (ColumnInventory.Constraint constraint : ColumnInventory.constraints(connection, change.table(), column)) {
            if (helpers.contains(constraint.name())) {
                continue; // zdm's own NOT NULL helper, on the new column after a cutover
            }
            String partner = constraintPartners.getOrDefault(constraint.name(), conventional(constraint.name(), reverting));
            if (partner == null || Sql.row(connection, "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?",
                    t, partner) == null) {
                String copy = ZdmNames.of(constraint.name(), "zdm");
                String definition = constraint.definition().replace(" NOT VALID", "");
                missing.add("constraint " + constraint.name() + " on " + column + (reverting ? " was added after the cutover;"
                        + " drop it (and add it back after the revert)" : " has no copy on " + partnerColumn + " (it was added"
                        + " after expandColumnType); add one first with `ALTER TABLE " + t + " ADD CONSTRAINT "
                        + TableName.quote(copy) + " " + SqlRewrite.replaceColumn(definition, column, TableName.quote(partnerColumn))
                        + " NOT VALID` and `ALTER TABLE " + t + " VALIDATE CONSTRAINT " + TableName.quote(copy) + "`"));
            } else {
                constraints.put(constraint.name(), partner);
            }
        }
        List<String> notNullChecks = change.objects(Kind.NOT_NULL_CHECK).isEmpty()
                ? List.of(ZdmNames.of(change.table(), change.shadow(), "nn")) // a change recorded before zdm kept its objects
                : change.objects(Kind.NOT_NULL_CHECK).stream().map(CreatedObject::name).toList();
        if (!reverting && notNull && notNullChecks.stream().noneMatch(name -> validated(connection, name))) {
            missing.add("the helper CHECK (" + change.shadow() + " IS NOT NULL) is not validated; let the expand pipeline's"
                    + " jobs complete");
        }
        referencing.addAll(Sql.rows(connection, "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = to_regclass(?)"
                + " AND c.confkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)]"
                + " ORDER BY 1, 2", t, t, column));
        ColumnDependents.Found dependents = ColumnDependents.of(connection, change.table(), column);
        for (String blocking : dependents.blocking()) {
            missing.add(blocking + " follows " + column + " by attribute number and cannot be moved; drop it before this"
                    + " stage and recreate it after");
        }
        // The views on the column and every view built on them, innermost first: dropped in reverse, recreated in order.
        String direct = "{" + String.join(",", dependents.views().stream().map(v -> "\"" + v.replace("\"", "\\\"") + "\"").toList()) + "}";
        for (String[] view : Sql.rows(connection, "WITH RECURSIVE deps(oid, depth) AS (SELECT to_regclass(v)::oid, 0 FROM"
                + " unnest(?::text[]) v UNION ALL SELECT c.oid, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refobjid = deps.oid"
                + " AND d.classid = 'pg_rewrite'::regclass JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class c ON c.oid = r.ev_class"
                + " WHERE c.oid <> deps.oid AND deps.depth < 20) SELECT deps.oid::regclass::text, c.relkind::text FROM deps JOIN"
                + " pg_class c ON c.oid = deps.oid GROUP BY deps.oid, c.relkind ORDER BY max(deps.depth), 1", direct)) {
            if ("v".equals(view[1])) {
                readView(connection, view[0]);
            } else {
                missing.add("materialized view " + view[0] + " is built on a view of " + column + "; drop it before this stage"
                        + " and recreate it after");
            }
        }
        this.grants = ColumnInventory.columnGrants(connection, change.table(), column, column);
        this.fingerprint = ColumnInventory.fingerprint(connection, change.table());
    }

    private static boolean validated(Connection connection, String constraint) {
        try {
            return Sql.row(connection, "SELECT 1 FROM pg_constraint WHERE conname = ? AND convalidated", constraint) != null;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The name zdm tells a user to give a copy they build themselves (an object created after expand): the cutover
     * carries such a copy like one of its own.
     */
    private static String conventional(String name, boolean reverting) {
        return reverting ? ZdmNames.of(name, "zdm", "old") : ZdmNames.of(name, "zdm");
    }

    /** Object name on the column → its partner's name, from the record. */
    private static Map<String, String> partners(ColumnChangeRecord change, Kind kind, boolean reverting) {
        Map<String, String> map = new LinkedHashMap<>();
        for (CreatedObject object : change.objects(kind)) {
            map.put(object.original(), object.name());
        }
        return map;
    }

    private void readView(Connection connection, String view) throws SQLException {
        String[] definition = Sql.row(connection, "SELECT pg_get_viewdef(to_regclass(?), true)", view);
        if (definition == null || definition[0] == null) {
            return;
        }
        views.put(view, definition[0]);
        String v = view; // regclass text, already qualified and quoted as needed
        List<String> settings = new ArrayList<>();
        String[] meta = Sql.row(connection, "SELECT array_to_string(reloptions, ', '), quote_ident(pg_get_userbyid(relowner)),"
                + " obj_description(oid, 'pg_class') FROM pg_class WHERE oid = to_regclass(?)", v);
        if (meta[0] != null && !meta[0].isEmpty()) {
            settings.add("ALTER VIEW " + v + " SET (" + meta[0] + ")");
        }
        settings.add("ALTER VIEW " + v + " OWNER TO " + meta[1]);
        if (meta[2] != null) {
            settings.add("COMMENT ON VIEW " + v + " IS '" + meta[2].replace("'", "''") + "'");
        }
        for (String[] grant : Sql.rows(connection, "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                + " quote_ident(pg_get_userbyid(a.grantee)) END, a.is_grantable::text FROM pg_class c, aclexplode(c.relacl) a"
                + " WHERE c.oid = to_regclass(?) AND a.grantee <> c.relowner ORDER BY 2, 1", v)) {
            settings.add("GRANT " + grant[0] + " ON " + v + " TO " + grant[1] + ("true".equals(grant[2]) ? " WITH GRANT OPTION" : ""));
        }
        viewSettings.put(view, settings);
    }

    /** Reads what the swap needs; {@code reverting}: the cutover already happened and is being undone. */
    public static ColumnSwap read(ColumnChangeRecord change, Connection connection, boolean reverting) throws SQLException {
        return new ColumnSwap(change, connection, reverting);
    }

    /**
     * Before the lock: each referencing table needs a validated copy of its foreign key that references the shadow. The
     * expand pipeline makes them; one that is missing or not validated (a foreign key added after expand) gets a
     * background job that adds and validates it (a scan of the referencing table). Returns the jobs that are not
     * COMPLETED yet, with their state: the cutover waits for them.
     */
    public List<String> prepareReferencingKeys(Connection connection) throws SQLException {
        List<String> waiting = new ArrayList<>();
        for (String[] fk : referencing) {
            String copy = ZdmNames.of(fk[1], "zdm");
            String[] state = Sql.row(connection, "SELECT convalidated::text FROM pg_constraint WHERE conrelid = to_regclass(?)"
                    + " AND conname = ?", fk[0], copy);
            if (state != null && "true".equals(state[0])) {
                continue;
            }
            String definition = fk[2].replace(" NOT VALID", "");
            int references = definition.indexOf(" REFERENCES ");
            int open = definition.indexOf('(', references);
            String target = definition.substring(0, open) + SqlRewrite.replaceColumn(definition.substring(open), change.column(),
                    TableName.quote(change.shadow()));
            String job = change.table() + "." + change.shadow() + ".validate." + copy;
            String[] known = Sql.row(connection, "SELECT state FROM zdm_job WHERE name = ?", job);
            if (known == null || "COMPLETED".equals(known[0])) {
                Jobs.registerAgain(connection, JobDefinition.addAndValidate(job, fk[0], copy, target, List.of()));
                known = new String[] { "PENDING" };
            }
            String[] error = Sql.row(connection, "SELECT coalesce(': ' || left(last_error, 300), '') FROM zdm_job WHERE name = ?", job);
            waiting.add(job + " (" + known[0] + (error == null ? "" : error[0]) + ")");
        }
        return waiting;
    }

    /**
     * Every relation the swap locks, in a fixed order, all within the one budget: the views it recreates first (outermost
     * first, as a reader of a view locks the view before the table below it), then the table, then referencing tables by
     * name.
     */
    public List<String> lockOrder() {
        List<String> tables = new ArrayList<>();
        List<String> views = new ArrayList<>(this.views.keySet());
        java.util.Collections.reverse(views);
        tables.addAll(views);
        tables.add(t);
        referencing.stream().map(fk -> fk[0]).distinct().sorted().forEach(tables::add);
        return tables;
    }

    /** The record after the cutover: where each old object went. */
    public List<CreatedObject> objectsAfterCutover() {
        List<CreatedObject> objects = new ArrayList<>(change.objects().stream()
                .filter(o -> o.kind() != Kind.OLD_INDEX && o.kind() != Kind.OLD_CONSTRAINT).toList());
        indexes.keySet().forEach(i -> objects.add(new CreatedObject(Kind.OLD_INDEX, ZdmNames.of(i, "zdm", "old"), i, change.table())));
        uniqueConstraints.values().forEach(u -> objects.add(new CreatedObject(Kind.OLD_CONSTRAINT, ZdmNames.of(u[0], "zdm", "old"),
                u[0], change.table())));
        constraints.keySet().forEach(c -> objects.add(new CreatedObject(Kind.OLD_CONSTRAINT, ZdmNames.of(c, "zdm", "old"), c,
                change.table())));
        return objects;
    }

    /** The record after a revert: the old objects have their names back. */
    public List<CreatedObject> objectsAfterRevert() {
        return change.objects().stream().filter(o -> o.kind() != Kind.OLD_INDEX && o.kind() != Kind.OLD_CONSTRAINT).toList();
    }

    /** The cutover's statements after {@code LOCK TABLE}, in order. */
    public List<String> cutover() {
        String col = TableName.quote(change.column());
        String old = TableName.quote(change.oldColumn());
        String shadow = TableName.quote(change.shadow());
        List<String> sql = renames(change.shadow(), change.oldColumn());
        for (String[] fk : referencing) {
            sql.add("ALTER TABLE " + fk[0] + " DROP CONSTRAINT " + TableName.quote(fk[1]));
            sql.add("ALTER TABLE " + fk[0] + " RENAME CONSTRAINT " + TableName.quote(ZdmNames.of(fk[1], "zdm")) + " TO "
                    + TableName.quote(fk[1]));
        }
        if (primaryKey != null && primaryKeyCopy != null) {
            sql.add("ALTER TABLE " + t + " DROP CONSTRAINT " + TableName.quote(primaryKey));
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + TableName.quote(primaryKey) + " PRIMARY KEY USING INDEX "
                    + TableName.quote(primaryKeyCopy));
        }
        if (identity != null) {
            // START WITH is read here, under the lock, so a retried swap never reuses a value inserted meanwhile. An identity
            // column is NOT NULL, so the NOT NULL moves between dropping the old identity and adding the new one.
            String tl = literal(t);
            sql.add("DO $zdm$ DECLARE next bigint; BEGIN SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END"
                    + " INTO next FROM " + (sequence == null ? "(SELECT 1 AS last_value, false AS is_called) s" : sequence) + ";"
                    + " EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP IDENTITY', " + tl + ", " + literal(change.oldColumn()) + ");"
                    + " EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP NOT NULL', " + tl + ", " + literal(change.oldColumn()) + ");"
                    + " EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', " + tl + ", " + literal(change.column()) + ");"
                    + " EXECUTE format('ALTER TABLE %s ALTER COLUMN %I ADD GENERATED " + ("a".equals(identity) ? "ALWAYS" : "BY DEFAULT")
                    + " AS IDENTITY (START WITH %s)', " + tl + ", " + literal(change.column()) + ", next); END $zdm$");
            keepNotNullName(sql);
        }
        if (notNull && identity == null) {
            // The old column's NOT NULL goes first so that on PostgreSQL 18 the new one can take its name.
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + old + " DROP NOT NULL");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL"); // instant: the helper check is validated
            keepNotNullName(sql);
        }
        uniqueConstraints.values().forEach(u -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(u[0]) + " TO "
                    + TableName.quote(ZdmNames.of(u[0], "zdm", "old")));
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + TableName.quote(u[0]) + " UNIQUE USING INDEX "
                    + TableName.quote(u[2]) + u[1]);
        });
        indexes.forEach((original, copy) -> {
            sql.add("ALTER INDEX " + TableName.quote(original) + " RENAME TO " + TableName.quote(ZdmNames.of(original, "zdm", "old")));
            sql.add("ALTER INDEX " + TableName.quote(copy) + " RENAME TO " + TableName.quote(original));
        });
        constraints.forEach((original, copy) -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(original) + " TO "
                    + TableName.quote(ZdmNames.of(original, "zdm", "old")));
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(copy) + " TO " + TableName.quote(original));
        });
        sql.addAll(grants);
        recreateViews(sql);
        return sql;
    }

    /** On PostgreSQL 18 a custom name of the column's NOT NULL constraint is given back after SET NOT NULL. */
    private void keepNotNullName(List<String> sql) {
        if (notNullName == null) {
            return;
        }
        sql.add("DO $zdm$ DECLARE current name; BEGIN SELECT conname INTO current FROM pg_constraint WHERE conrelid = "
                + literal(t) + "::regclass AND contype = 'n' AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE"
                + " attrelid = " + literal(t) + "::regclass AND attname = " + literal(change.column()) + ")];"
                + " IF current IS DISTINCT FROM " + literal(notNullName) + " THEN EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT"
                + " %I TO %I', " + literal(t) + ", current, " + literal(notNullName) + "); END IF; END $zdm$");
    }

    /** The revert's statements after {@code LOCK TABLE}: the cutover undone (not for primary keys). */
    public List<String> revert() {
        String col = TableName.quote(change.column());
        String old = TableName.quote(change.oldColumn());
        String shadow = TableName.quote(change.shadow());
        List<String> sql = renames(change.oldColumn(), change.shadow());
        if (notNull) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + shadow + " DROP NOT NULL");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET NOT NULL");
            keepNotNullName(sql);
        }
        indexes.forEach((original, partner) -> {
            sql.add("ALTER INDEX " + TableName.quote(original) + " RENAME TO " + TableName.quote(ZdmNames.of(original, "zdm")));
            sql.add("ALTER INDEX " + TableName.quote(partner) + " RENAME TO " + TableName.quote(original));
        });
        constraints.forEach((original, partner) -> {
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(original) + " TO "
                    + TableName.quote(ZdmNames.of(original, "zdm")));
            sql.add("ALTER TABLE " + t + " RENAME CONSTRAINT " + TableName.quote(partner) + " TO " + TableName.quote(original));
        });
        sql.addAll(grants);
        recreateViews(sql);
        return sql;
    }

    /**
     * The start of either swap: the mirror into {@code arriving} goes, the views go, the column takes the name
     * {@code leavingTo} and {@code arriving} takes the column's name, and the default (with its sequence) follows the name.
     */
    private List<String> renames(String arriving, String leavingTo) {
        String col = TableName.quote(change.column());
        String leaving = TableName.quote(leavingTo);
        List<String> sql = new ArrayList<>(MirrorSql.drop(change.table(), change.column(), arriving));
        dropViews(sql);
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + col + " TO " + leaving);
        sql.add("ALTER TABLE " + t + " RENAME COLUMN " + TableName.quote(arriving) + " TO " + col);
        if (identity == null && defaultExpression != null) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + leaving + " DROP DEFAULT");
            sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " SET DEFAULT " + movedDefault);
            if (sequence != null) {
                sql.add("ALTER SEQUENCE " + sequence + " OWNED BY " + t + "." + col);
            }
        }
        return sql;
    }

    /** Views go outermost first (a view built on another is dropped before it). */
    private void dropViews(List<String> sql) {
        List<String> order = new ArrayList<>(views.keySet());
        java.util.Collections.reverse(order);
        order.forEach(v -> sql.add("DROP VIEW " + v));
    }

    /** Views come back with their definition, options, owner, comment and grants. */
    private void recreateViews(List<String> sql) {
        views.forEach((view, definition) -> {
            sql.add("CREATE VIEW " + view + " AS " + definition);
            sql.addAll(viewSettings.getOrDefault(view, List.of()));
        });
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
