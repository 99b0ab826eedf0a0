package dev.zdm.scenario;

import dev.zdm.liquibase.ZdmChangeExecListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * Each stage of a scenario as its own YAML changelog in the scenario's directory, run by Liquibase the way an
 * application does (zdm's listener installed, the guard around the DataSource). Changeset ids carry the scenario's
 * tag, so every scenario's changesets are new to the shared {@code databasechangelog}.
 */
final class Changelogs {

    /** How a changelog run ended; {@code error} is {@code null} when it succeeded. */
    record Run(String file, Throwable error) {

        boolean ok() {
            return error == null;
        }

        /** The {@code dev.zdm.liquibase.change.ZdmChangeException} in the cause chain, or {@code null}. */
        Throwable refusal() {
            for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getClass().getName().equals("dev.zdm.liquibase.change.ZdmChangeException")) {
                    return t;
                }
            }
            return null;
        }

        String message() {
            Throwable refusal = refusal();
            Throwable shown = refusal != null ? refusal : error;
            if (shown == null) {
                return "";
            }
            StringBuilder text = new StringBuilder(String.valueOf(shown.getMessage()));
            for (Throwable t = shown.getCause(); t != null && t != t.getCause() && text.length() < 2000; t = t.getCause()) {
                text.append(" / caused by ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            }
            return text.toString();
        }
    }

    private final Path directory;
    private final Scenario scenario;
    private final DataSource migrations;
    private final Map<String, String> written = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();

    Changelogs(Path directory, Scenario scenario, DataSource migrations) {
        this.directory = directory;
        this.scenario = scenario;
        this.migrations = migrations;
    }

    Run expand(String id, String newType, String using) {
        StringBuilder attributes = attributes().append(", newDataType: ").append(quote(newType));
        if (using != null) {
            attributes.append(", using: ").append(quote(using));
        }
        return run(id, "expandColumnType", attributes.toString(), false);
    }

    Run cutover(String id) {
        return run(id, "cutoverColumnType", attributes().toString(), true);
    }

    Run revert(String id) {
        return run(id, "revertCutoverColumnType", attributes().toString(), true);
    }

    Run contract(String id) {
        return run(id, "contractColumnType", attributes().toString(), true);
    }

    private StringBuilder attributes() {
        return new StringBuilder("tableName: ").append(quote(scenario.table())).append(", columnName: ")
                .append(quote(scenario.column()));
    }

    private Run run(String id, String change, String attributes, boolean outsideTransaction) {
        String file = String.format("%02d-%s.yaml", written.size() + 1, id);
        String yaml = "databaseChangeLog:\n"
                + "  - changeSet:\n"
                + "      id: " + quote("s" + scenario.tag() + "-" + id) + "\n"
                + "      author: scenario\n"
                + (outsideTransaction ? "      runInTransaction: false\n" : "")
                + "      changes:\n"
                + "        - " + change + ": { " + attributes + " }\n";
        written.put(file, yaml);
        Throwable error = null;
        try {
            Files.writeString(directory.resolve(file), yaml);
            update(file);
        } catch (Exception | AssertionError e) {
            error = e;
        }
        Run run = new Run(file, error);
        runs.add(run);
        return run;
    }

    private void update(String file) throws Exception {
        try (Connection connection = migrations.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(directory)) {
                Liquibase liquibase = new Liquibase(file, accessor, database);
                liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
                liquibase.update();
            }
        }
    }

    /** Every changelog file written so far with its content and how its run ended, for a reproduction. */
    String describe() {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, String> file : written.entrySet()) {
            Run run = runs.get(i++);
            out.append("--- ").append(file.getKey()).append(run.ok() ? " (ran)" : " (FAILED: " + firstLine(run.message()) + ")")
                    .append('\n').append(file.getValue());
        }
        return out.toString();
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 600 ? line.substring(0, 600) + "..." : line;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }
}
