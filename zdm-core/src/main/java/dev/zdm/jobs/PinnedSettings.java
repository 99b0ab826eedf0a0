package dev.zdm.jobs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session settings a conversion may read ({@code TimeZone} for timestamp ↔ timestamptz, {@code DateStyle} and
 * {@code IntervalStyle} for date/interval ↔ text, {@code extra_float_digits} for float → text), read once when the
 * change starts and applied to every session that converts: the mirror trigger's function ({@code SET} clauses) and
 * each backfill batch ({@code set_config(..., true)}), so the writer's session and the runner's give the same value,
 * as one plain {@code ALTER ... TYPE} in one session would.
 */
public record PinnedSettings(Map<String, String> values) {

    /** The settings pinned, in order. */
    public static final List<String> NAMES = List.of("TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits");

    /** Nothing pinned (jobs registered without a column change). */
    public static final PinnedSettings NONE = new PinnedSettings(Map.of());

    public PinnedSettings {
        values = Map.copyOf(new LinkedHashMap<>(values));
    }

    /** The current session's values of {@link #NAMES}. */
    public static PinnedSettings of(Connection connection) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_setting(?)")) {
            for (String name : NAMES) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    values.put(name, rs.getString(1));
                }
            }
        }
        return new PinnedSettings(values);
    }

    /** As stored: {@code name=value} entries. */
    public String[] toArray() {
        return NAMES.stream().filter(values::containsKey).map(n -> n + "=" + values.get(n)).toArray(String[]::new);
    }

    /** From the stored form; unknown names are ignored. */
    public static PinnedSettings fromArray(Array array) throws SQLException {
        if (array == null) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : (String[]) array.getArray()) {
            int eq = entry.indexOf('=');
            if (eq > 0 && NAMES.contains(entry.substring(0, eq))) {
                values.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return new PinnedSettings(values);
    }

    /** The {@code SET} clauses of a function definition, e.g. {@code  SET "TimeZone" TO 'UTC'}. */
    public String functionClauses() {
        StringBuilder sql = new StringBuilder();
        for (String name : NAMES) {
            String value = values.get(name);
            if (value != null) {
                sql.append(" SET ").append(name).append(" TO '").append(value.replace("'", "''")).append('\'');
            }
        }
        return sql.toString();
    }

    /** Applies the settings to the current transaction ({@code SET LOCAL}). */
    public void applyLocal(Connection connection) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String name : NAMES) {
            if (values.containsKey(name)) {
                sql.append(names.isEmpty() ? "" : ", ").append("set_config(?, ?, true)");
                names.add(name);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (String name : names) {
                ps.setString(i++, name);
                ps.setString(i++, values.get(name));
            }
            ps.executeQuery().close();
        }
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
