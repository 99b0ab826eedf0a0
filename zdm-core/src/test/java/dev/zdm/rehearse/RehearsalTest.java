package dev.zdm.rehearse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.lint.LintReport;
import dev.zdm.lint.Linter;
import dev.zdm.sql.LockLevel;
import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The rehearsal on a real PostgreSQL (the test server, through --url): what each kind of change does, measured. */
@ExtendWith(PostgresExtension.class)
class RehearsalTest {

    static final String TABLE = "--liquibase formatted sql\n--changeset dev:1\n"
            + "CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL);\n";

    private final TestDatabase db;
    @TempDir
    Path dir;

    RehearsalTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aColumnTypeChangeRewritesTheTableUnderAnExclusiveLockAndGrowsWithItsRows() throws Exception {
        RehearsalReport report = rehearse(TABLE + "--changeset dev:2\nALTER TABLE file ALTER COLUMN file_size TYPE bigint;\n",
                200_000, "public.file 10000000\n");
        ChangeSetMeasurement change = only(report, "2");
        TableMeasurement file = table(change, "file");
        assertThat(file.lock()).isEqualTo(LockLevel.ACCESS_EXCLUSIVE);
        assertThat(file.rewrite()).isTrue();
        assertThat(file.scaling()).as("%s", report.text()).isEqualTo(Scaling.LINEAR);
        assertThat(file.estimatedBlockMs()).isGreaterThan(1000);
        assertThat(change.verdict()).isEqualTo(Verdict.BLOCKS);
        assertThat(change.suggestion()).contains("column-type-rewrite").contains("expandColumnType");
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.changeSets()).extracting(ChangeSetMeasurement::changeSet).containsExactly("1", "2");
    }

    @Test
    void addingANullableColumnIsQuickAtAnySize() throws Exception {
        RehearsalReport report = rehearse(TABLE + "--changeset dev:2\nALTER TABLE file ADD COLUMN note text;\n", 20_000,
                "public.file 10000000\n");
        ChangeSetMeasurement change = only(report, "2");
        TableMeasurement file = table(change, "file");
        assertThat(file.lock()).as("taken for a moment, and seen").isEqualTo(LockLevel.ACCESS_EXCLUSIVE);
        assertThat(file.rewrite()).isFalse();
        assertThat(file.scaling()).as("%s", report.text()).isEqualTo(Scaling.CONSTANT);
        assertThat(change.verdict()).isEqualTo(Verdict.OK);
        assertThat(change.suggestion()).isNull();
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void aPlainIndexBuildBlocksWritersButDoesNotRewriteTheTable() throws Exception {
        RehearsalReport report = rehearse(TABLE + "--changeset dev:2\nCREATE INDEX file_checksum_idx ON file (checksum);\n",
                200_000, "public.file 10000000\n");
        ChangeSetMeasurement change = only(report, "2");
        TableMeasurement file = table(change, "file");
        assertThat(file.lock()).isEqualTo(LockLevel.SHARE);
        assertThat(file.blocked()).isEqualTo("writers");
        assertThat(file.rewrite()).isFalse();
        assertThat(file.scaling()).as("%s", report.text()).isEqualTo(Scaling.LINEAR);
        assertThat(file.writeWaitMs()[1]).as("the writer waited for the build").isGreaterThan(file.readWaitMs()[1]);
        assertThat(change.verdict()).isEqualTo(Verdict.BLOCKS);
        assertThat(change.suggestion()).contains("createIndexConcurrently");
    }

    @Test
    void aTypeChangeInADoBlockIsCaughtThoughTheLintCannotSeeIt() throws Exception {
        String changelog = TABLE + "--changeset dev:2\nDO $$ BEGIN EXECUTE 'ALTER TABLE file ALTER COLUMN file_size TYPE '"
                + " || 'bigint'; END $$;\n";
        Path file = Files.writeString(dir.resolve("changelog.sql"), changelog);
        LintReport lint = new Linter().lint(dir, "changelog.sql", null);
        assertThat(lint.findings()).as("the lint sees a DO block it cannot judge, not the type change inside it")
                .extracting(dev.zdm.lint.LintFinding::rule).containsExactly("do-block");

        RehearsalReport report = rehearse(changelog, 200_000, "public.file 10000000\n");
        ChangeSetMeasurement change = only(report, "2");
        TableMeasurement measured = table(change, "file");
        assertThat(measured.rewrite()).isTrue();
        assertThat(measured.lock()).isEqualTo(LockLevel.ACCESS_EXCLUSIVE);
        assertThat(change.verdict()).as("%s", report.text()).isEqualTo(Verdict.BLOCKS);
        assertThat(change.suggestion()).contains("expandColumnType");
        assertThat(file).exists();
    }

    @Test
    void zdmsExpandColumnTypeIsOkAndItsJobsReportARate() throws Exception {
        String changelog = "databaseChangeLog:\n"
                + "  - changeSet:\n      id: 1\n      author: dev\n      changes:\n"
                + "        - sql:\n            sql: CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL,"
                + " file_size integer NOT NULL)\n"
                + "  - changeSet:\n      id: 2\n      author: dev\n      changes:\n"
                + "        - expandColumnType:\n            tableName: file\n            columnName: file_size\n"
                + "            newDataType: bigint\n";
        Files.writeString(dir.resolve("changelog.yaml"), changelog);
        RehearsalReport report = RehearseCommand.rehearse(options(dir.resolve("changelog.yaml"), 20_000, null), o -> null);
        ChangeSetMeasurement change = only(report, "2");
        assertThat(change.verdict()).as("%s", report.text()).isEqualTo(Verdict.OK);
        assertThat(change.tables()).allSatisfy(t -> assertThat(t.rewrite()).isFalse());
        JobMeasurement backfill = change.jobs().stream().filter(j -> j.kind().equals("BACKFILL")).findFirst().orElseThrow();
        assertThat(backfill.state()).isEqualTo("COMPLETED");
        assertThat(backfill.rows()).isEqualTo(20_000);
        assertThat(backfill.rowsPerSecond()).isPositive();
        assertThat(report.text()).contains("rows/s");
    }

    @Test
    void productionStatsTurnAShortRehearsalIntoAnEstimateInSeconds() throws Exception {
        String changelog = TABLE + "--changeset dev:2\nALTER TABLE file ALTER COLUMN file_size TYPE bigint;\n";
        RehearsalReport withoutStats = rehearse(changelog, 200_000, null);
        TableMeasurement measured = table(only(withoutStats, "2"), "file");
        assertThat(measured.productionRows()).isEqualTo(200_000);
        long largest = measured.probeMaxWaitMs()[1];
        assertThat(measured.estimatedBlockMs()).as("at --rows the estimate is the measurement (%d ms)", largest)
                .isBetween((long) (largest * 0.9) - 5, (long) (largest * 1.1) + 5);

        RehearsalReport report = rehearse(changelog, 200_000, "# counts only\npublic.file 50000000\n");
        TableMeasurement estimated = table(only(report, "2"), "file");
        assertThat(estimated.productionRows()).isEqualTo(50_000_000);
        assertThat(estimated.estimatedBlockMs()).as("%s", report.text()).isGreaterThan(5_000);
        assertThat(only(report, "2").verdict()).isEqualTo(Verdict.BLOCKS);
    }

    @Test
    void refusesAServerWhoseTablesHoldDataUnlessAllowed() throws Exception {
        db.execute("DROP TABLE IF EXISTS customer", "CREATE TABLE customer (id int)", "INSERT INTO customer VALUES (1)");
        try {
            Path changelog = Files.writeString(dir.resolve("changelog.sql"), TABLE);
            assertThatThrownBy(() -> RehearseCommand.rehearse(options(changelog, 2_000, null), o -> null))
                    .isInstanceOf(RehearsalException.class).hasMessageContaining("holds data (table customer has rows)")
                    .hasMessageContaining("--allow-data").hasMessageContaining("Nothing was changed");
            assertThat(db.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'zdm_rehearse%'")).isEqualTo("0");

            RehearsalOptions o = options(changelog, 2_000, null);
            RehearsalOptions allowed = new RehearsalOptions(o.changelog(), o.root(), o.since(), o.rows(), o.stats(),
                    o.maxBlock(), o.format(), o.pg(), o.url(), o.username(), o.password(), true, o.classpath(), null);
            assertThat(RehearseCommand.rehearse(allowed, x -> null).changeSets()).hasSize(1);
            assertThat(db.query("SELECT count(*) FROM customer")).as("its data untouched").isEqualTo("1");
            assertThat(db.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'zdm_rehearse%'"))
                    .as("the rehearsal's databases are dropped").isEqualTo("0");
        } finally {
            db.execute("DROP TABLE customer");
        }
    }

    @Test
    void sinceAGitRefAppliesTheOldChangeSetsAndReportsOnlyTheNewOnes() throws Exception {
        git("init", "-q", "-b", "main");
        git("config", "user.email", "dev@example.com");
        git("config", "user.name", "dev");
        Path changelog = Files.writeString(dir.resolve("changelog.sql"), TABLE);
        git("add", ".");
        git("commit", "-q", "-m", "release 1");
        git("checkout", "-q", "-b", "pr");
        Files.writeString(changelog, TABLE + "--changeset dev:2\nALTER TABLE file ADD COLUMN note text;\n");
        git("commit", "-q", "-am", "pull request");

        RehearsalOptions o = options(changelog, 2_000, null);
        RehearsalReport report = RehearseCommand.rehearse(new RehearsalOptions(o.changelog(), o.root(), "main", o.rows(),
                o.stats(), o.maxBlock(), o.format(), o.pg(), o.url(), o.username(), o.password(), false, o.classpath(), null),
                x -> null);
        assertThat(report.changeSets()).extracting(ChangeSetMeasurement::changeSet).containsExactly("2");
        assertThat(table(report.changeSets().get(0), "file").rows())
                .as("the old changeset made the table, filled before the new one").containsExactly(200, 2_000);
    }

    private void git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).isZero();
    }

    private RehearsalReport rehearse(String changelog, long rows, String stats) throws Exception {
        Path file = Files.writeString(dir.resolve("changelog.sql"), changelog);
        Path statsFile = stats == null ? null : Files.writeString(dir.resolve("stats.txt"), stats);
        return RehearseCommand.rehearse(options(file, rows, statsFile), o -> null);
    }

    private RehearsalOptions options(Path changelog, long rows, Path stats) {
        return new RehearsalOptions(changelog, dir, null, rows, stats, Duration.ofSeconds(1), "text", 18, db.jdbcUrl(),
                db.user(), db.password(), false, List.of(), null);
    }

    static ChangeSetMeasurement only(RehearsalReport report, String id) {
        return report.changeSets().stream().filter(c -> c.changeSet().equals(id)).findFirst().orElseThrow();
    }

    static TableMeasurement table(ChangeSetMeasurement change, String name) {
        return change.tables().stream().filter(t -> t.table().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no table " + name + " in " + change));
    }
}
