package dev.zdm.liquibase.change;

import dev.zdm.columnchange.*;

import dev.zdm.jobs.JobDefinition;
import dev.zdm.jobs.Jobs;
import dev.zdm.jobs.PinnedSettings;
import dev.zdm.schema.ZdmSchema;
import dev.zdm.sql.Fragment;
import dev.zdm.sql.FragmentAttribute;
import dev.zdm.sql.SqlRewrite;
import dev.zdm.sql.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.exception.ValidationErrors;

/**
 * Release N of a column type change: the quick, synchronous part, then a pipeline of background jobs.
 *
 * <ol>
 *   <li>Before anything: refuse partitioned tables and objects that follow the column by attribute number and cannot
 *       be moved at cutover (materialized views, rules, policies, statistics objects, {@code UPDATE OF}/{@code WHEN}
 *       triggers, generated columns, publication column lists); views are recorded to be recreated at cutover.
 *       A varchar-to-uuid-like change of a column that other tables reference is refused (a foreign key cannot join
 *       the two types).</li>
 *   <li>Shadow column and mirror trigger ({@link AddShadowColumnChange}, {@link CreateMirrorTriggerChange}).</li>
 *   <li>{@code CHECK (shadow IS NOT NULL) NOT VALID} for a NOT NULL column; the column's CHECK constraints and
 *       outgoing foreign keys copied onto the shadow, {@code NOT VALID}.</li>
 *   <li>Jobs: backfill → a concurrent copy of every index that contains the column (the shadow substituted) →
 *       {@code ANALYZE} → {@code VALIDATE} of every constraint above. All COMPLETED = ready for cutover.</li>
 *   <li>The plan is recorded in {@code zdm_column_change} for cutover, revert and contract.</li>
 * </ol>
 * Every step is idempotent: running the changeset again after a partial failure completes it.
 */
@DatabaseChange(name = "expandColumnType", description = "Starts an online column type change (release N of expand/contract)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class ExpandColumnTypeChange extends AbstractZdmChange {

    static final String METADATA_TABLE = "zdm_column_change";

    private String tableName;
    private String columnName;
    private String newDataType;
    private String using;
    private String revertUsing;
    private String shadowColumnName;

    @DatabaseChangeProperty(description = "Table of the column", requiredForDatabase = "postgresql")
    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    @DatabaseChangeProperty(description = "Column whose type changes", requiredForDatabase = "postgresql")
    public String getColumnName() {
        return columnName;
    }

    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    @DatabaseChangeProperty(description = "The new type, e.g. bigint", requiredForDatabase = "postgresql")
    public String getNewDataType() {
        return newDataType;
    }

    public void setNewDataType(String newDataType) {
        this.newDataType = newDataType;
    }

    @DatabaseChangeProperty(description = "Expression over the column giving the new value; default column::newDataType")
    public String getUsing() {
        return using;
    }

    public void setUsing(String using) {
        this.using = using;
    }

    @DatabaseChangeProperty(description = "Expression over the new column giving the old type's value, for revert; default a cast back")
    public String getRevertUsing() {
        return revertUsing;
    }

    public void setRevertUsing(String revertUsing) {
        this.revertUsing = revertUsing;
    }

    @DatabaseChangeProperty(description = "Name of the shadow column; default <columnName>_zdm")
    public String getShadowColumnName() {
        return shadowColumnName;
    }

    public void setShadowColumnName(String shadowColumnName) {
        this.shadowColumnName = shadowColumnName;
    }

    /** The shadow column's name, explicit or default. */
    public String shadow() {
        return shadowColumnName != null ? shadowColumnName : ZdmNames.shadowColumn(columnName);
    }

    String usingExpression() {
        return using != null ? using : q(columnName) + "::" + newDataType;
    }

    String jobPrefix() {
        return tableName + "." + shadow();
    }

    @Override
    protected void validateMore(ValidationErrors errors) {
        if (getChangeSet() != null && !getChangeSet().isRunInTransaction()) {
            errors.addError(where() + " must run in a transaction (leave runInTransaction at true): its steps are quick"
                    + " catalog work, and a failure must leave nothing behind");
        }
    }

    @Override
    public List<FragmentAttribute> sqlAttributes() {
        return List.of(attribute("tableName", tableName, Fragment.IDENTIFIER),
                attribute("columnName", columnName, Fragment.IDENTIFIER),
                attribute("newDataType", newDataType, Fragment.TYPE_NAME), attribute("using", using, Fragment.EXPRESSION),
                attribute("revertUsing", revertUsing, Fragment.EXPRESSION),
                attribute("shadowColumnName", shadowColumnName, Fragment.IDENTIFIER));
    }

    @Override
    protected String subjectTable() {
        return tableName;
    }

    @Override
    protected List<Step> steps() {
        AddShadowColumnChange shadowChange = new AddShadowColumnChange();
        shadowChange.setTableName(tableName);
        shadowChange.setColumnName(columnName);
        shadowChange.setNewDataType(newDataType);
        shadowChange.setShadowColumnName(shadow());
        List<Step> steps = new ArrayList<>(shadowChange.steps());
        steps.add(new Step() {
            @Override
            public String offlineSql() {
                return "-- zdm: creates the mirror trigger " + tableName + "." + columnName + " -> " + shadow() + " (assignment"
                        + " conversion, the session's TimeZone/DateStyle/IntervalStyle/extra_float_digits pinned), copies onto "
                        + shadow() + " (NOT VALID) the column's CHECK constraints and outgoing foreign keys, records the"
                        + " change in " + METADATA_TABLE + ", and registers the jobs " + jobPrefix() + " (backfill), one"
                        + " concurrent index copy per index on " + columnName + ", ANALYZE and VALIDATE of each copied"
                        + " constraint (and of CHECK (" + shadow() + " IS NOT NULL) for a NOT NULL column)";
            }

            @Override
            public void execute(Connection connection) throws SQLException {
                expand(connection);
            }
        });
        return steps;
    }

    @Override
    protected void check(Catalog catalog, Connection connection) throws SQLException {
        catalog.requireTable("tableName", tableName);
        if ("p".equals(catalog.relkind(tableName))) {
            throw catalog.fail("tableName", tableName + " is partitioned; change the column on each partition's own table"
                    + " (zdm does not swap columns of partitioned tables)");
        }
        String oldType = catalog.requireColumn("columnName", tableName, columnName);
        catalog.requireType(tableName, "newDataType", newDataType);
        catalog.requireExpression("using", tableName, usingExpression(), newDataType);
        catalog.requireExpressionOverShadow("revertUsing", tableName, revertUsing, shadow(), newDataType, oldType);
        if (catalog.primaryKeyColumns(tableName) != 1) {
            throw catalog.fail("tableName", tableName + " needs a one-column primary key for the backfill");
        }
        ColumnDependents.Found dependents = ColumnDependents.of(connection, tableName, columnName);
        if (!dependents.blocking().isEmpty()) {
            throw catalog.fail("columnName", String.join(", ", dependents.blocking()) + " follow(s) " + columnName
                    + " by attribute number and cannot be moved to the new column at cutover; drop and recreate them"
                    + " around the change by hand (views are recreated by zdm)");
        }
        List<String> exclusions = ColumnInventory.exclusionConstraints(connection, tableName, columnName);
        if (!exclusions.isEmpty()) {
            throw catalog.fail("columnName", "exclusion constraint(s) " + String.join(", ", exclusions) + " use " + columnName
                    + "; zdm cannot copy an exclusion constraint onto the new column without a blocking index build. Drop it"
                    + " for the change and add it back after the contract, or change the column with a plain ALTER in a"
                    + " maintenance window");
        }
        String[] defaultExpr = Sql.row(connection, "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
                + " ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = to_regclass(?) AND a.attname = ?"
                + " AND a.attidentity = '' AND a.attgenerated = ''", q(tableName), columnName);
        if (defaultExpr != null && DefaultProbe.convert(connection, defaultExpr[0], oldType, newDataType) == null) {
            throw catalog.fail("columnName", "the default " + defaultExpr[0] + " of " + columnName + " does not convert to "
                    + newDataType + " (a plain ALTER TABLE ... TYPE refuses it too); change or drop the default first");
        }
        String shadowType = catalog.columnType(tableName, shadow());
        if (shadowType != null && !dev.zdm.sql.SqlType.parse(shadowType).equals(dev.zdm.sql.SqlType.parse(newDataType))) {
            throw catalog.fail("shadowColumnName", "column " + shadow() + " already exists as " + shadowType + ", not "
                    + newDataType + " (left by an earlier attempt?); drop it, or give another shadowColumnName");
        }
        List<String> replicaIdentity = ColumnInventory.indexes(connection, tableName, columnName).stream()
                .filter(ColumnInventory.Index::replicaIdentity).map(ColumnInventory.Index::name).toList();
        if (!replicaIdentity.isEmpty()) {
            throw catalog.fail("columnName", "index " + replicaIdentity.get(0) + " on " + columnName + " is the table's replica"
                    + " identity, which a rename swap cannot move; set REPLICA IDENTITY to another index (or DEFAULT/FULL) for"
                    + " the change and back after the contract");
        }
        ColumnChangeRecord active = ColumnChangeRecord.findActive(connection, tableName, columnName);
        if (active != null && active.stage() != ColumnChangeRecord.Stage.EXPANDED) {
            throw catalog.fail("columnName", "the change of " + tableName + "." + columnName + " to " + active.newType()
                    + " is " + active.stage() + " but not contracted; run contractColumnType (or revertCutoverColumnType) for it"
                    + " first, then change the column again");
        }
        if (active != null && (!active.shadow().equals(shadow())
                || !dev.zdm.sql.SqlType.parse(active.newType()).equals(dev.zdm.sql.SqlType.parse(newDataType)))) {
            throw catalog.fail("newDataType", "a change of " + tableName + "." + columnName + " to " + active.newType()
                    + " (shadow " + active.shadow() + ") is in progress; finish it (cutover and contract) or revert it and"
                    + " drop its shadow before starting another");
        }
        if (active == null && dev.zdm.sql.SqlType.parse(oldType).equals(dev.zdm.sql.SqlType.parse(newDataType))) {
            String before = ColumnChangeRecord.lastContractedType(connection, tableName, columnName);
            throw catalog.fail("newDataType", tableName + "." + columnName + " is already " + oldType
                    + (before == null ? "" : " (an earlier change to " + before + " was contracted)")
                    + "; there is nothing to change. Remove this changeset, or give the type you want");
        }
        MirrorSql.Spec order = new MirrorSql.Spec(tableName, columnName, shadow(), q(columnName), List.of(columnName), null,
                PinnedSettings.NONE, false, false);
        List<String> after = Mirrors.firingAfter(connection, order);
        if (!after.isEmpty()) {
            throw catalog.fail("tableName", Mirrors.orderProblem(order, after));
        }
        List<String> referencing = referencingForeignKeys(connection);
        boolean sameFamily = family(oldType).equals(family(newDataType));
        if (!referencing.isEmpty() && !sameFamily) {
            throw catalog.fail("newDataType", "foreign keys " + referencing + " reference " + tableName + "." + columnName
                    + ", and a " + newDataType + " column cannot be referenced by their " + oldType + " columns; change"
                    + " the referencing columns first, or follow the manual path in the README");
        }
    }

    private static String family(String type) {
        String t = type.toLowerCase(java.util.Locale.ROOT);
        if (t.contains("int") || t.contains("serial")) {
            return "integer";
        }
        if (t.contains("char") || t.equals("text")) {
            return "text";
        }
        return t.replaceAll("\\(.*", "");
    }

    private List<String> referencingForeignKeys(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.conrelid::regclass || '.' || c.conname FROM"
                + " pg_constraint c WHERE c.contype = 'f' AND c.confrelid = to_regclass(?) AND (SELECT attnum FROM pg_attribute"
                + " WHERE attrelid = c.confrelid AND attname = ?) = ANY (c.confkey)")) {
            ps.setString(1, q(tableName));
            ps.setString(2, columnName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** The catalog-dependent part: the mirror, constraint copies, the job pipeline and the record. */
    private void expand(Connection connection) throws SQLException {
        ZdmSchema.ensure(connection);
        Catalog catalog = new Catalog(connection, where());
        ColumnChangeRecord active = ColumnChangeRecord.findActive(connection, tableName, columnName);
        if (active == null) {
            // A new change of a column changed before: the finished jobs of that change give their names to this one.
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM zdm_job WHERE name = ANY (SELECT unnest(jobs)"
                    + " FROM " + METADATA_TABLE + " WHERE table_name = ? AND column_name = ? AND stage = 'CONTRACTED')")) {
                ps.setString(1, tableName);
                ps.setString(2, columnName);
                ps.executeUpdate();
            }
        }
        String oldType = active != null ? active.oldType() : catalog.columnType(tableName, columnName);
        String shadowType = catalog.columnType(tableName, shadow());
        String usingExpr = using != null ? using : Mirrors.defaultUsing(connection, tableName, columnName, shadow(), shadowType);
        if (usingExpr == null) {
            throw catalog.fail("using", "PostgreSQL has no assignment cast from " + oldType + " to " + newDataType + ", so a plain"
                    + " ALTER TABLE ... TYPE refuses this change without USING, and so does zdm; say how to convert, e.g. using: \""
                    + columnName + "::" + newDataType + "\"");
        }
        String revertExpr = revertUsing != null ? revertUsing
                : Mirrors.defaultUsing(connection, tableName, shadow(), columnName, oldType);
        if (revertExpr == null) {
            // No assignment cast back (text to numeric): a revert converts with the explicit cast, which raises where a
            // value does not convert (the revert then refuses), and never cuts one (no length-limited type lacks one).
            revertExpr = q(shadow()) + "::" + oldType;
        }
        PinnedSettings settings = active != null ? active.settings() : PinnedSettings.of(connection);
        boolean notNull = catalog.columnNotNull(tableName, columnName);
        MirrorSql.Spec mirror = Mirrors.spec(connection, tableName, columnName, shadow(), usingExpr, settings, notNull);
        Mirrors.install(connection, mirror);

        String t = q(tableName);
        String s = q(shadow());
        List<ColumnChangeRecord.CreatedObject> objects = new ArrayList<>();
        List<String> validations = new ArrayList<>();
        java.util.Map<String, String> copies = new java.util.LinkedHashMap<>();
        for (String[] constraint : Sql.rows(connection, "SELECT conname, pg_get_constraintdef(oid), contype::text FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype IN ('c', 'f')"
                + " AND (SELECT attnum FROM pg_attribute WHERE attrelid = conrelid AND attname = ?) = ANY (conkey)"
                + " ORDER BY conname", t, columnName)) {
            String definition = constraint[1].replace(" NOT VALID", "");
            String copied;
            if ("f".equals(constraint[2])) {
                int references = definition.indexOf(" REFERENCES ");
                copied = SqlRewrite.replaceColumn(definition.substring(0, references), columnName, s) + definition.substring(references);
            } else {
                copied = SqlRewrite.replaceColumn(definition, columnName, s);
            }
            String name = ZdmNames.of(constraint[0], "zdm");
            // Added by its job after the backfill, not now: even NOT VALID it would check every write, and a row whose
            // value did not convert (its shadow NULL) could then refuse a write that worked before.
            copies.put(name, copied);
            validations.add(name);
            objects.add(new ColumnChangeRecord.CreatedObject(ColumnChangeRecord.Kind.CONSTRAINT_COPY, name, constraint[0], tableName));
        }
        List<String> indexJobs = new ArrayList<>();
        String backfill = jobPrefix();
        // Jobs name the table schema-qualified: the runner's connections may have another search_path than the migration's.
        String jobTable = Sql.row(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)", t)[0];
        Jobs.register(connection, JobDefinition.backfill(backfill, jobTable, shadow(), usingExpr, null, null, List.of())
                .withSettings(settings));
        for (ColumnInventory.Index index : ColumnInventory.indexes(connection, tableName, columnName)) {
            String copyName = ZdmNames.of(index.name(), "zdm");
            String job = jobPrefix() + ".index." + copyName;
            // One index build at a time: two CREATE INDEX CONCURRENTLY on one table wait for each other and deadlock.
            Jobs.register(connection, JobDefinition.index(job, jobTable, copyName, index.copySql(copyName, columnName, shadow()),
                    List.of(indexJobs.isEmpty() ? backfill : indexJobs.get(indexJobs.size() - 1))));
            indexJobs.add(job);
            objects.add(new ColumnChangeRecord.CreatedObject(ColumnChangeRecord.Kind.INDEX_COPY, copyName, index.name(), tableName));
        }
        String analyze = jobPrefix() + ".analyze";
        Jobs.register(connection, JobDefinition.analyze(analyze, jobTable, indexJobs.isEmpty() ? List.of(backfill) : indexJobs));
        List<String> jobs = new ArrayList<>(List.of(backfill));
        jobs.addAll(indexJobs);
        jobs.add(analyze);
        // Foreign keys of other tables that reference the column get a copy referencing the shadow (it needs the
        // shadow's unique index, so it comes after the index copies), validated in the background too.
        for (String[] fk : Sql.rows(connection, "SELECT quote_ident(n.nspname) || '.' || quote_ident(r.relname), c.conname,"
                + " pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n"
                + " ON n.oid = r.relnamespace WHERE c.contype = 'f' AND c.confrelid = to_regclass(?)"
                + " AND c.confkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?)]"
                + " ORDER BY 1, 2", t, t, columnName)) {
            String definition = fk[2].replace(" NOT VALID", "");
            int open = definition.indexOf('(', definition.indexOf(" REFERENCES "));
            String copy = ZdmNames.of(fk[1], "zdm");
            String job = jobPrefix() + ".validate." + copy;
            Jobs.register(connection, JobDefinition.addAndValidate(job, fk[0], copy, definition.substring(0, open)
                    + SqlRewrite.replaceColumn(definition.substring(open), columnName, s), List.of(analyze)));
            jobs.add(job);
            objects.add(new ColumnChangeRecord.CreatedObject(ColumnChangeRecord.Kind.REFERENCING_COPY, copy, fk[1], fk[0]));
        }
        // The NOT NULL check is added by its job after the backfill, never now: even NOT VALID, it would refuse every
        // UPDATE of a row whose shadow the backfill has not reached yet.
        if (notNull) {
            String notNullCheck = ZdmNames.of(tableName, shadow(), "nn");
            String job = jobPrefix() + ".validate." + notNullCheck;
            Jobs.register(connection, JobDefinition.addAndValidate(job, jobTable, notNullCheck, "CHECK (" + s + " IS NOT NULL)",
                    List.of(analyze)));
            jobs.add(job);
            objects.add(new ColumnChangeRecord.CreatedObject(ColumnChangeRecord.Kind.NOT_NULL_CHECK, notNullCheck, null, tableName));
        }
        for (String constraint : validations) {
            String job = jobPrefix() + ".validate." + constraint;
            Jobs.register(connection, JobDefinition.addAndValidate(job, jobTable, constraint, copies.get(constraint),
                    List.of(analyze)));
            jobs.add(job);
        }
        List<String> views = ColumnDependents.of(connection, tableName, columnName).views();
        new ColumnChangeRecord(active == null ? 0 : active.id(), tableName, columnName, shadow(), oldType, newDataType, usingExpr,
                revertExpr, mirror.keyColumn(), settings, jobs, views, objects, ColumnChangeRecord.Stage.EXPANDED).save(connection);
        registered(where(), jobs);
    }

    @Override
    public String getConfirmationMessage() {
        return "Column " + tableName + "." + columnName + " expanded to " + shadow() + " " + newDataType
                + "; background jobs " + jobPrefix() + "* registered";
    }
}
