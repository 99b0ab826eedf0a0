package dev.zdm.scenario;

import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardSettings;
import dev.zdm.scenario.Outcome.Refusal;
import dev.zdm.scenario.Outcome.Verdict;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Runs one scenario two ways and judges it: zdm's table goes expand → jobs → cutover (→ revert → cutover) → contract
 * (→ a second change) through Liquibase changelogs and the job runner while the workload writes; the twin gets the
 * workload's final rows and a plain ALTER; then the two are compared (or zdm's refusal is checked against the ALTER's
 * failure).
 */
final class ScenarioRunner {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> FIX_WORDS = List.of("drop", "recreate", "first", "by hand", "readme", "instead", "change the");

    private final TestDatabase db;
    private final DataSource migrations;

    ScenarioRunner(TestDatabase db) {
        this.db = db;
        this.migrations = new Guard(GuardSettings.defaults(), null).wrapForMigrations(db.dataSource());
    }

    /** What zdm did: the refusals it gave, and the first stage that failed otherwise. */
    private static final class ZdmRun {
        final List<Refusal> refusals = new ArrayList<>();
        Refusal expandRefusal;
        Refusal cutoverRefusal;
        String stageError;
    }

    Outcome run(Scenario s) throws Exception {
        long started = System.nanoTime();
        Path directory = Files.createTempDirectory("zdm-scenario-" + s.tag());
        ScenarioSchema schema = new ScenarioSchema(s);
        InitialData initial = InitialData.of(s);
        Twin twin = new Twin(s, schema);
        Stages stages = new Stages();
        List<String> trace = new ArrayList<>();
        Changelogs changelogs = new Changelogs(directory, s, migrations);
        setUp(s, schema, initial);
        ZdmRun zdm = new ZdmRun();
        Workload workload = new Workload(s, stages, initial, this::applicationConnection);
        BackgroundJobs jobs = new BackgroundJobs(s, db, line -> trace.add(elapsed(started) + line));
        try (Connection admin = applicationConnection()) {
            workload.start();
            try {
                Thread.sleep(200);
                runStages(s, schema, changelogs, stages, workload, jobs, admin, zdm, line -> trace.add(elapsed(started) + line));
            } finally {
                workload.close();
                jobs.close();
            }
            trace.add(elapsed(started) + "workload stopped: " + workload.summary().lines().findFirst().orElse(""));
            List<String> differences = judge(s, schema, initial, twin, workload, zdm, admin, trace, started);
            jobs.cancelLeftovers();
            Verdict verdict = !differences.isEmpty() ? Verdict.FAILED
                    : zdm.expandRefusal != null || zdm.cutoverRefusal != null ? Verdict.REFUSED : Verdict.PASSED;
            if (verdict != Verdict.FAILED) {
                dropTables(admin, s);
            }
            String reproduction = reproduction(s, schema, initial, twin, changelogs, workload, trace, differences);
            return new Outcome(s, verdict, zdm.refusals, differences, stages.longestWaitMillis(), reproduction,
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            Changelogs.deleteQuietly(directory);
        }
    }

    private void runStages(Scenario s, ScenarioSchema schema, Changelogs changelogs, Stages stages, Workload workload,
            BackgroundJobs jobs, Connection admin, ZdmRun zdm, java.util.function.Consumer<String> trace) throws Exception {
        String col = s.column();
        stages.enter(Stage.EXPAND);
        Changelogs.Run expand = withLockIf(s.has(Fault.LOCK_DURING_EXPAND), s, trace,
                () -> changelogs.expand("expand", s.change().newType, s.change().using(col)));
        trace.accept("expand: " + outcome(expand));
        if (!expand.ok()) {
            if (expand.refusal() != null) {
                zdm.expandRefusal = refusal(Stage.EXPAND, expand, expandKind(schema, expand.message()));
                zdm.refusals.add(zdm.expandRefusal);
            } else {
                zdm.stageError = "expand failed: " + expand.message();
            }
            return;
        }
        if (!s.lateBeforeCutover()) {
            late(s, schema, admin, trace);
        }
        stages.enter(Stage.JOBS);
        jobs.start();
        trace.accept("jobs: " + jobs.awaitPipeline(PIPELINE_TIMEOUT, admin));
        if (s.invalid() == InvalidValues.WRITTEN) {
            for (int wait = 0; wait < 200 && workload.invalidCommitted() == 0; wait++) {
                Thread.sleep(50);
            }
            Thread.sleep(300); // a few more while the jobs are done: these go through the mirror trigger only
            trace.accept("invalid values committed by the workload: " + workload.invalidCommitted());
        }
        if (s.lateBeforeCutover()) {
            late(s, schema, admin, trace);
        }
        stages.enter(Stage.CUTOVER);
        Changelogs.Run cutover = withLockIf(s.has(Fault.LOCK_DURING_CUTOVER), s, trace, () -> changelogs.cutover("cutover"));
        trace.accept("cutover: " + outcome(cutover));
        List<String> fixes = cutover.refusal() != null ? quotedStatements(cutover.message()) : List.of();
        if (!fixes.isEmpty()) {
            // An object created after expand has no copy: do what the refusal says, as a user would, and deploy again.
            zdm.refusals.add(refusal(Stage.CUTOVER, cutover, "cutover: object created after expand, copy built as told"));
            try (Statement statement = admin.createStatement()) {
                for (String fix : fixes) {
                    trace.accept("fix as told: " + fix);
                    statement.execute(fix);
                }
            }
            cutover = changelogs.cutover("cutover-after-fix");
            trace.accept("cutover after the fix: " + outcome(cutover));
        }
        if (!cutover.ok()) {
            if (cutover.refusal() != null) {
                zdm.cutoverRefusal = refusal(Stage.CUTOVER, cutover, cutoverKind(cutover.message()));
                zdm.refusals.add(zdm.cutoverRefusal);
            } else {
                zdm.stageError = "cutover failed: " + cutover.message();
            }
            return;
        }
        Thread.sleep(200);
        if (s.has(Fault.REVERT_AND_CUTOVER_AGAIN)) {
            stages.enter(Stage.REVERT);
            Changelogs.Run revert = changelogs.revert("revert");
            trace.accept("revert: " + outcome(revert));
            if (!revert.ok() && revert.refusal() == null) {
                zdm.stageError = "revert failed: " + revert.message();
                return;
            }
            if (!revert.ok()) {
                zdm.refusals.add(refusal(Stage.REVERT, revert, revert.message().contains("not supported")
                        ? "revert: key, identity or unique column not supported" : "revert: other"));
            } else {
                // the revert's proof (a scan) and its swap back are background jobs
                String reverted = jobs.awaitPipeline(PIPELINE_TIMEOUT, admin);
                trace.accept("revert jobs: " + reverted);
                if (reverted.contains(".revert=FAILED") && reverted.contains("do not fit the old type")) {
                    // values written since the cutover do not fit the old type: the revert is refused, nothing changed
                    zdm.refusals.add(new Refusal(Stage.REVERT, "revert: values do not fit the old type", reverted));
                } else if (!reverted.contains(".revert=COMPLETED")) {
                    zdm.stageError = "revert jobs did not complete: " + reverted;
                    return;
                } else {
                    Thread.sleep(200);
                    Changelogs.Run again = changelogs.cutover("cutover-again");
                    trace.accept("cutover again: " + outcome(again));
                    if (!again.ok()) {
                        zdm.stageError = "second cutover (after revert) failed: " + again.message();
                        return;
                    }
                    Thread.sleep(200);
                }
            }
        }
        stages.enter(Stage.CONTRACT);
        Changelogs.Run contract = withLockIf(s.has(Fault.LOCK_DURING_CONTRACT), s, trace, () -> changelogs.contract("contract"));
        trace.accept("contract: " + outcome(contract));
        if (!contract.ok()) {
            zdm.stageError = "contract failed: " + contract.message();
            return;
        }
        if (s.secondChange()) {
            stages.enter(Stage.SECOND_CHANGE);
            Thread.sleep(100);
            for (String step : List.of("expand-2", "jobs", "cutover-2", "contract-2")) {
                Changelogs.Run run = switch (step) {
                    case "expand-2" -> changelogs.expand(step, s.change().secondType, null);
                    case "cutover-2" -> changelogs.cutover(step);
                    case "contract-2" -> changelogs.contract(step);
                    default -> null;
                };
                if (run == null) {
                    trace.accept("jobs of the second change: " + jobs.awaitPipeline(PIPELINE_TIMEOUT, admin));
                    continue;
                }
                trace.accept(step + ": " + outcome(run));
                if (!run.ok()) {
                    zdm.stageError = "second change (" + s.change().newType + " -> " + s.change().secondType + "): " + step
                            + " failed: " + run.message();
                    return;
                }
            }
        }
        stages.enter(Stage.DONE);
        Thread.sleep(100);
    }

    private List<String> judge(Scenario s, ScenarioSchema schema, InitialData initial, Twin twin, Workload workload, ZdmRun zdm,
            Connection admin, List<String> trace, long started) throws SQLException {
        List<String> differences = new ArrayList<>(workload.failures());
        if (zdm.expandRefusal != null) {
            String message = zdm.expandRefusal.message().toLowerCase(java.util.Locale.ROOT);
            if (zdm.expandRefusal.kind().equals("expand: names no object")
                    || FIX_WORDS.stream().noneMatch(message::contains)) {
                differences.add("expand refused, but the message does not name an object of the column and a fix: "
                        + zdm.expandRefusal.message());
            }
            List<String> leftovers = SchemaSnapshot.read(admin, s.table()).aspects().get("zdm leftover");
            if (!leftovers.isEmpty()) {
                differences.add("expand refused, yet it left " + leftovers + " behind");
            }
            return differences;
        }
        twin.applyFinal(admin, workload.touchedKeys(), workload.finalRows());
        List<String> twinColumns = DataSnapshot.columnsOf(admin, twin.table());
        DataSnapshot twinBefore = DataSnapshot.read(admin, twin.table(), twinColumns);
        SQLException alterFailed = twin.alter(admin, s.change().newType, s.change().using(s.column()), true);
        if (alterFailed == null && s.secondChange() && zdm.cutoverRefusal == null) {
            alterFailed = twin.alter(admin, s.change().secondType, null, false);
        }
        trace.add(elapsed(started) + "twin: plain ALTER " + (alterFailed == null ? "succeeded" : "failed: "
                + Changelogs.firstLine(alterFailed.getMessage())));
        if (zdm.cutoverRefusal != null) {
            if (alterFailed == null) {
                differences.add("zdm refused the cutover, but the plain ALTER succeeds: " + zdm.cutoverRefusal.message());
                return differences;
            }
            differences.addAll(prefixed("after the refused cutover, a value changed: ",
                    DataSnapshot.read(admin, s.table(), twinColumns).differences(twinBefore, 5)));
            Map<String, String> invalid = new java.util.LinkedHashMap<>(initial.invalid());
            invalid.putAll(workload.invalidValues());
            String message = zdm.cutoverRefusal.message();
            boolean named = invalid.entrySet().stream().anyMatch(e -> message.contains(e.getKey()) || message.contains(e.getValue()))
                    // no value fails to convert, but converted values collide (a lower numeric scale): the key is named
                    || (invalid.isEmpty() && message.matches("(?s).*Key \\(.*\\)=\\(.*\\) is duplicated.*"));
            if (!named) {
                differences.add("the cutover refusal names none of the rows or values that do not convert (e.g. "
                        + invalid.entrySet().stream().limit(3).toList() + "): " + message);
            }
            return differences;
        }
        if (zdm.stageError != null) {
            differences.add(zdm.stageError);
            return differences;
        }
        if (alterFailed != null) {
            differences.add("zdm did not refuse, but the plain ALTER fails (" + alterFailed.getSQLState() + " "
                    + Changelogs.firstLine(alterFailed.getMessage()) + ")");
            differences.addAll(prefixed("compared with the data before the ALTER: ",
                    DataSnapshot.read(admin, s.table(), twinColumns).differences(twinBefore, 5)));
            return differences;
        }
        List<String> zdmColumns = DataSnapshot.columnsOf(admin, s.table());
        List<String> common = twinColumns.stream().filter(zdmColumns::contains).toList();
        differences.addAll(DataSnapshot.read(admin, s.table(), common).differences(DataSnapshot.read(admin, twin.table(), common), 8));
        differences.addAll(SchemaSnapshot.read(admin, s.table()).differences(SchemaSnapshot.read(admin, twin.table())));
        return differences;
    }

    /** The statements a refusal tells the user to run, quoted in backticks. */
    static List<String> quotedStatements(String message) {
        List<String> statements = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([^`]+)`").matcher(message);
        while (m.find()) {
            if (m.group(1).startsWith("CREATE ") || m.group(1).startsWith("ALTER TABLE ")) {
                statements.add(m.group(1));
            }
        }
        return statements;
    }

    private static List<String> prefixed(String prefix, List<String> lines) {
        return lines.stream().map(l -> prefix + l).toList();
    }

    /** The refusal's kind: the first of the scenario's objects its message names. */
    private static String expandKind(ScenarioSchema schema, String message) {
        for (Map.Entry<ObjectKind, String> name : schema.objectNames().entrySet()) {
            if (message.contains(name.getValue())) {
                return "expand: " + name.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            }
        }
        if (message.contains("the default ") && message.contains("does not convert")) {
            return "expand: default that does not convert (plain ALTER refuses it too)";
        }
        return "expand: names no object";
    }

    private static String cutoverKind(String message) {
        if (message.contains("did not convert")) {
            return "cutover: writes did not convert (mirror rejects)";
        }
        if (message.contains("(FAILED)")) {
            return "cutover: a job of the pipeline FAILED";
        }
        if (message.contains("not ready")) {
            return "cutover: pipeline not ready";
        }
        return "cutover: other";
    }

    private static Refusal refusal(Stage stage, Changelogs.Run run, String kind) {
        return new Refusal(stage, kind, run.message());
    }

    private static String outcome(Changelogs.Run run) {
        return run.ok() ? "ok" : (run.refusal() != null ? "REFUSED: " : "FAILED: ") + Changelogs.firstLine(run.message());
    }

    private void late(Scenario s, ScenarioSchema schema, Connection admin, java.util.function.Consumer<String> trace)
            throws SQLException {
        List<String> late = schema.late(s.table());
        if (late.isEmpty()) {
            return;
        }
        try (Statement statement = admin.createStatement()) {
            for (String sql : late) {
                statement.execute(sql);
            }
        }
        trace.accept("late objects created on " + s.table() + ": " + late);
    }

    interface StageCall {
        Changelogs.Run run() throws Exception;
    }

    /** Runs the stage while another transaction holds ACCESS SHARE on the table for 0.8-2.5 s (when {@code hold}). */
    private Changelogs.Run withLockIf(boolean hold, Scenario s, java.util.function.Consumer<String> trace, StageCall stage)
            throws Exception {
        if (!hold) {
            return stage.run();
        }
        long millis = 800 + new java.util.Random(s.seed() * 7).nextInt(1700);
        CountDownLatch locked = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("LOCK TABLE " + s.table() + " IN ACCESS SHARE MODE");
                locked.countDown();
                Thread.sleep(millis);
                connection.commit();
            } catch (SQLException | InterruptedException e) {
                locked.countDown();
            }
        }, "scenario-lock-holder");
        holder.start();
        locked.await(10, TimeUnit.SECONDS);
        trace.accept("fault: a transaction holds ACCESS SHARE on " + s.table() + " for " + millis + " ms");
        try {
            return stage.run();
        } finally {
            holder.join(10_000);
        }
    }

    private void setUp(Scenario s, ScenarioSchema schema, InitialData initial) throws SQLException {
        try (Connection connection = applicationConnection(); Statement statement = connection.createStatement()) {
            dropTables(connection, s);
            for (String sql : ScenarioSchema.roles()) {
                statement.execute(sql);
            }
            for (String sql : schema.refTable()) {
                statement.execute(sql);
            }
            for (String table : List.of(s.table(), s.twin())) {
                for (String sql : schema.create(table)) {
                    statement.execute(sql);
                }
                initial.insert(connection, s, table);
            }
            for (String sql : schema.late(s.twin())) {
                statement.execute(sql); // the twin has every object from the start: its ALTER comes last anyway
            }
            statement.execute("ANALYZE " + s.table());
        }
    }

    private static void dropTables(Connection connection, Scenario s) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : List.of(s.table(), s.twin())) {
                statement.execute("DROP TABLE IF EXISTS " + table + "_child, " + table + " CASCADE");
                statement.execute("DROP FUNCTION IF EXISTS " + table + "_derive()");
            }
            statement.execute("DROP TABLE IF EXISTS " + s.refTable() + " CASCADE");
        }
    }

    private Connection applicationConnection() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("autosave", "conservative");
        properties.setProperty("stringtype", "unspecified");
        properties.setProperty("ApplicationName", "zdm-scenario-app");
        return db.connect(properties);
    }

    private static String elapsed(long started) {
        return String.format("%6d ms  ", (System.nanoTime() - started) / 1_000_000);
    }

    private String reproduction(Scenario s, ScenarioSchema schema, InitialData initial, Twin twin, Changelogs changelogs,
            Workload workload, List<String> trace, List<String> differences) {
        StringBuilder out = new StringBuilder();
        out.append("=== scenario seed ").append(s.seed()).append(": ").append(s.describe()).append('\n');
        out.append("replay: mvn -o -pl zdm-core surefire:test -Dtest=DifferentialScenariosTest -Dzdm.scenario.seed=")
                .append(s.seed()).append('\n');
        out.append("--- schema of zdm's table (the twin ").append(s.twin()).append(" is the same under its own name)\n");
        schema.refTable().forEach(sql -> out.append(abbreviate(sql)).append(";\n"));
        schema.create(s.table()).forEach(sql -> out.append(sql).append(";\n"));
        out.append("--- created on zdm's table ").append(s.lateBeforeCutover() ? "after the jobs, before cutover" : "right after expand")
                .append(" (on the twin from the start)\n");
        schema.late(s.table()).forEach(sql -> out.append(sql).append(";\n"));
        out.append("--- data: ").append(s.rows()).append(" rows (key k = ").append(s.key().literal(1)).append("..., writer k % ")
                .append(s.writers() + 1).append(", share ").append(s.writers()).append(" frozen); invalid initial values ")
                .append(initial.invalid()).append("; invalid values written ").append(workload.invalidValues()).append('\n');
        out.append("--- job runner: ").append(s.slices()).append(" slice(s), batch ").append(s.batchSize())
                .append(", about ").append(Math.max(300, s.rows())).append(" rows/s\n");
        out.append("--- changelogs (each run by Liquibase with ZdmChangeExecListener, DataSource wrapped by the guard)\n")
                .append(changelogs.describe());
        out.append("--- twin's change\n");
        twin.statements(s.change().newType, s.change().using(s.column()), true).forEach(sql -> out.append(sql).append(";\n"));
        if (s.secondChange()) {
            twin.statements(s.change().secondType, null, false).forEach(sql -> out.append(sql).append(";\n"));
        }
        out.append("--- workload: ").append(workload.summary()).append('\n');
        out.append("--- events\n");
        trace.forEach(line -> out.append(line).append('\n'));
        if (!differences.isEmpty()) {
            out.append("--- FIRST DIFFERENCE: ").append(differences.get(0)).append('\n');
            differences.stream().skip(1).limit(15).forEach(d -> out.append("    and: ").append(d).append('\n'));
        }
        return out.toString();
    }

    private static String abbreviate(String sql) {
        return sql.length() > 300 ? sql.substring(0, 300) + " ...]" : sql;
    }
}
