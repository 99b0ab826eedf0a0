package dev.zdm.scenario;

import static dev.zdm.scenario.ObjectKind.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DDL of a scenario's table, for either name (zdm's table or the twin): the same schema, objects named after the
 * table, and the twin's plain {@code ALTER ... TYPE} (with what a user must do around it: views, policies, a default
 * that PostgreSQL cannot cast).
 */
final class ScenarioSchema {

    static final String READER = "zdm_scn_reader";
    static final String WRITER = "zdm_scn_writer";

    private final Scenario s;
    private final String col;

    ScenarioSchema(Scenario scenario) {
        this.s = scenario;
        this.col = scenario.column();
    }

    static List<String> roles() {
        return List.of(role(READER), role(WRITER));
    }

    private static String role(String name) {
        return "DO $$ BEGIN CREATE ROLE " + name + "; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";
    }

    /** The referenced table of FK_OUT, holding {@code valid(0..199)} and the default. */
    List<String> refTable() {
        if (!s.has(FK_OUT)) {
            return List.of();
        }
        return List.of("CREATE TABLE " + s.refTable() + " (v " + s.change().oldType + " PRIMARY KEY)",
                "INSERT INTO " + s.refTable() + " SELECT DISTINCT v::" + s.change().oldType + " FROM unnest(ARRAY[" + refValues()
                        + "]::text[]) v");
    }

    private String refValues() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add("'" + s.change().valid(i) + "'");
        }
        values.add("'" + s.change().defaultValue() + "'"); // rows inserted without the column reference it too
        return String.join(", ", values);
    }

    /** Everything before the data: table, dependent tables, trigger, indexes, constraints, views, grants, policy. */
    List<String> create(String t) {
        List<String> sql = new ArrayList<>();
        StringBuilder table = new StringBuilder("CREATE TABLE " + t + " (id " + s.key().ddl + " CONSTRAINT " + t
                + "_pkey PRIMARY KEY");
        if (!s.change().onKey()) {
            table.append(", c ").append(s.change().oldType).append(s.has(NOT_NULL) ? " NOT NULL" : "")
                    .append(s.has(DEFAULT) ? " DEFAULT " + s.change().defaultSql() : "");
        }
        table.append(", note text, a integer NOT NULL DEFAULT 0, b integer NOT NULL DEFAULT 0");
        if (s.has(GENERATED_COLUMN)) {
            table.append(", c_generated ").append(s.change().family.generated(col));
        }
        sql.add(table.append(")").toString());
        if (s.has(DERIVING_TRIGGER)) {
            sql.add("CREATE FUNCTION " + t + "_derive() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW." + col
                    + " := NEW.a * NEW.b; RETURN NEW; END $$");
            sql.add("CREATE TRIGGER " + t + "_derive BEFORE INSERT OR UPDATE ON " + t + " FOR EACH ROW EXECUTE FUNCTION "
                    + t + "_derive()");
        }
        if (s.has(FK_IN)) {
            sql.add("CREATE TABLE " + t + "_child (id integer PRIMARY KEY, parent_id integer NOT NULL, CONSTRAINT " + t
                    + "_child_parent_fkey FOREIGN KEY (parent_id) REFERENCES " + t + " (id))");
        }
        if (s.has(CHECK)) {
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_" + col + "_check CHECK (" + s.change().family.check(col) + ")");
        }
        if (s.has(INDEX)) {
            sql.add("CREATE INDEX " + t + "_c_idx ON " + t + " (" + col + ")");
        }
        if (s.has(MULTI_COLUMN_INDEX)) {
            sql.add("CREATE INDEX " + t + "_c_note_idx ON " + t + " (" + col + ", note)");
        }
        if (s.has(PARTIAL_INDEX)) {
            sql.add("CREATE INDEX " + t + "_c_part_idx ON " + t + " (" + col + ") WHERE " + s.change().family.predicate(col));
        }
        if (s.has(EXPRESSION_INDEX)) {
            sql.add("CREATE INDEX " + t + "_c_expr_idx ON " + t + " ((" + s.change().family.expression(col) + "))");
        }
        if (s.has(UNIQUE_INDEX)) {
            sql.add("CREATE UNIQUE INDEX " + t + "_c_uidx ON " + t + " (" + col + ")");
        }
        if (s.has(UNIQUE_CONSTRAINT)) {
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_c_key UNIQUE (" + col + ")");
        }
        if (s.has(EXCLUSION)) {
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_c_excl EXCLUDE USING btree (" + col + " WITH =)");
        }
        if (s.has(FK_OUT)) {
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_c_fkey FOREIGN KEY (c) REFERENCES " + s.refTable() + " (v)");
        }
        sql.addAll(views(t));
        if (s.has(COLUMN_GRANT)) {
            sql.add("GRANT SELECT (" + col + "), UPDATE (" + col + ") ON " + t + " TO " + WRITER);
            sql.add("GRANT SELECT ON " + t + " TO " + READER);
        }
        sql.addAll(policy(t));
        return sql;
    }

    /** Objects created on the column between expand and cutover. */
    List<String> late(String t) {
        List<String> sql = new ArrayList<>();
        if (s.has(LATE_INDEX)) {
            sql.add("CREATE INDEX " + t + "_c_late_idx ON " + t + " (" + col + ", a)");
        }
        if (s.has(LATE_CHECK)) {
            sql.add("ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_c_late_check CHECK (" + s.change().family.check(col) + ")");
        }
        if (s.has(LATE_UNIQUE)) {
            sql.add("CREATE UNIQUE INDEX " + t + "_c_late_uidx ON " + t + " (" + col + ")");
        }
        return sql;
    }

    /**
     * The twin's change: a plain {@code ALTER TABLE ... ALTER COLUMN ... TYPE ... [USING ...]}, with the views and the
     * policy dropped and recreated around it (PostgreSQL refuses the ALTER otherwise), and a default that cannot be
     * cast replaced; a serial's sequence is widened as well.
     */
    List<String> twinAlter(String t, String newType, String using, boolean first) {
        List<String> sql = new ArrayList<>();
        if (s.has(VIEW_ON_VIEW)) {
            sql.add("DROP VIEW " + t + "_vv");
        }
        if (s.has(VIEW)) {
            sql.add("DROP VIEW " + t + "_v");
        }
        if (s.has(POLICY)) {
            sql.add("DROP POLICY " + t + "_c_policy ON " + t);
        }
        boolean replaceDefault = first && s.has(DEFAULT) && s.change().newDefaultSql() != null;
        if (replaceDefault) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN c DROP DEFAULT");
        }
        sql.add("ALTER TABLE " + t + " ALTER COLUMN " + col + " TYPE " + newType + (using == null ? "" : " USING " + using));
        if (replaceDefault) {
            sql.add("ALTER TABLE " + t + " ALTER COLUMN c SET DEFAULT " + s.change().newDefaultSql());
        }
        if (s.change().onKey() && s.key() == KeyKind.SERIAL && newType.equals("bigint")) {
            sql.add("ALTER SEQUENCE " + t + "_id_seq AS bigint");
        }
        sql.addAll(views(t));
        sql.addAll(policy(t));
        return sql;
    }

    private List<String> views(String t) {
        List<String> sql = new ArrayList<>();
        String columns = col.equals("id") ? "id, note, a" : "id, c, note, a";
        if (s.has(VIEW)) {
            sql.add("CREATE VIEW " + t + "_v AS SELECT " + columns + " FROM " + t + " WHERE a >= 0");
            sql.add("GRANT SELECT ON " + t + "_v TO " + READER);
        }
        if (s.has(VIEW_ON_VIEW)) {
            sql.add("CREATE VIEW " + t + "_vv AS SELECT " + (col.equals("id") ? "id, note" : "id, c") + " FROM " + t
                    + "_v WHERE note IS NOT NULL");
        }
        return sql;
    }

    private List<String> policy(String t) {
        return s.has(POLICY) ? List.of("CREATE POLICY " + t + "_c_policy ON " + t + " FOR SELECT USING (" + col + " IS NOT NULL)")
                : List.of();
    }

    /** The name of each object zdm's table gets, for refusal messages (which must name the object they refuse). */
    Map<ObjectKind, String> objectNames() {
        String t = s.table();
        Map<ObjectKind, String> names = new LinkedHashMap<>();
        names.put(POLICY, t + "_c_policy");
        names.put(GENERATED_COLUMN, "c_generated");
        names.put(DERIVING_TRIGGER, t + "_derive");
        names.put(VIEW_ON_VIEW, t + "_vv");
        names.put(VIEW, t + "_v");
        names.put(FK_IN, t + "_child");
        names.put(FK_OUT, t + "_c_fkey");
        names.put(EXCLUSION, t + "_c_excl");
        names.put(UNIQUE_CONSTRAINT, t + "_c_key");
        names.put(UNIQUE_INDEX, t + "_c_uidx");
        names.put(EXPRESSION_INDEX, t + "_c_expr_idx");
        names.put(PARTIAL_INDEX, t + "_c_part_idx");
        names.put(MULTI_COLUMN_INDEX, t + "_c_note_idx");
        names.put(INDEX, t + "_c_idx");
        names.put(CHECK, t + "_" + col + "_check");
        names.keySet().retainAll(s.objects());
        return names;
    }
}
