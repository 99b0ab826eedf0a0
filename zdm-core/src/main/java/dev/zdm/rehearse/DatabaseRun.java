package dev.zdm.rehearse;

import dev.zdm.guard.ChangeSetRef;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardListener;
import dev.zdm.guard.GuardMode;
import dev.zdm.guard.GuardSettings;
import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobRunner;
import dev.zdm.jobs.JobSettings;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import dev.zdm.sql.Finding;
import dev.zdm.sql.LockLevel;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The rehearsal on one database, at one size:
 * <ol>
 *   <li>applies the changesets that are not new, as production has them, and runs their zdm jobs to completion;</li>
 *   <li>before each new changeset, fills every user table to the size ({@link SyntheticRows});</li>
 *   <li>starts the probes on every user table, and a monitor of the migration session's locks;</li>
 *   <li>runs the changeset through Liquibase with zdm's guard in {@code warn} mode (unsafe statements run, and what the
 *   guard saw is kept);</li>
 *   <li>reads the probes' longest waits, the strongest locks, and which tables got new storage;</li>
 *   <li>runs the jobs the changeset registered to completion, probes still on, and reports their rate.</li>
 * </ol>
 */
final class DatabaseRun {

    /** Waits below this are probe noise, not a lock: a table that only sees them is not reported. */
    static final long NOISE_MS = 20;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(30);

    private final Sessions sessions;
    private final Migrator migrator;
    private final List<PlannedChangeSet> plan;
    private final long rows;

    DatabaseRun(Sessions sessions, Migrator migrator, List<PlannedChangeSet> plan, long rows) {
        this.sessions = sessions;
        this.migrator = migrator;
        this.plan = plan;
        this.rows = rows;
    }

    List<ChangeSetRun> run() throws Exception {
        List<ChangeSetRun> runs = new ArrayList<>();
        for (int i = 0; i < plan.size();) {
            if (!plan.get(i).fresh()) {
                int count = 0;
                while (i + count < plan.size() && !plan.get(i + count).fresh()) {
                    count++;
                }
                try (Connection connection = guard(new ArrayList<>()).getConnection()) {
                    migrator.update(connection, count, null);
                } catch (Exception e) {
                    throw new RehearsalException("Applying the changesets before " + (i + count < plan.size()
                            ? plan.get(i + count).key() : "the end") + " failed on " + sessions.database() + ": "
                            + rootMessage(e), e);
                }
                drainJobs();
                i += count;
                continue;
            }
            runs.add(rehearse(plan.get(i)));
            i++;
        }
        return runs;
    }

    private ChangeSetRun rehearse(PlannedChangeSet changeSet) throws Exception {
        Map<Long, UserTable> before;
        try (Connection connection = sessions.open()) {
            SyntheticRows.fill(connection, rows);
            before = Catalog.tables(connection);
            vacuum(connection, before.values());
        }
        Set<String> jobsBefore = jobNames();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        long runMs;
        Map<Long, LockLevel> strongest;
        Map<String, ProbeSet.Waits> waits;
        List<JobMeasurement> jobs;
        try (ProbeSet probes = ProbeSet.start(sessions, before.values())) {
            Thread.sleep(50);
            try (Connection migration = guard(findings).getConnection()) {
                int pid = Catalog.backendPid(migration);
                probes.reset();
                try (Locks locks = new Locks(sessions.open(), pid)) {
                    try {
                        runMs = migrator.update(migration, 1, locks::sampleOwn);
                    } catch (Exception e) {
                        throw new RehearsalException("Changeset " + changeSet.key() + " failed on " + sessions.database()
                                + " (" + rows + " rows per table): " + rootMessage(e), e);
                    }
                    strongest = locks.strongest();
                }
            }
            waits = probes.waits();
            jobs = runJobs(probes, jobsBefore);
        }
        Map<Long, UserTable> after;
        try (Connection connection = sessions.open()) {
            after = Catalog.tables(connection);
        }
        Set<String> judged = new HashSet<>();
        for (Finding finding : findings) {
            if (finding.table() != null) {
                judged.add(finding.table().name());
            }
        }
        Map<String, TableRun> tables = new LinkedHashMap<>();
        for (UserTable table : before.values()) {
            LockLevel lock = strongest.getOrDefault(table.oid(), LockLevel.NONE);
            UserTable now = after.get(table.oid());
            boolean rewrite = now != null && now.rewrittenSince(table);
            ProbeSet.Waits w = waits.getOrDefault(table.name(), new ProbeSet.Waits(0, 0));
            boolean touched = lock.compareTo(LockLevel.ACCESS_SHARE) > 0 || rewrite || w.max() >= NOISE_MS
                    || judged.contains(table.name()) || judged.contains(table.sqlName().replaceFirst("^public\\.", ""));
            if (touched) {
                tables.put(table.name(), new TableRun(table.name(), table.rows(), lock, rewrite, w.readMs(), w.writeMs()));
            }
        }
        return new ChangeSetRun(changeSet, runMs, tables, List.copyOf(findings), jobs);
    }

    /**
     * Vacuums the filled tables, so that autovacuum has nothing to do during the changeset: the guard would otherwise
     * wait for it, then cancel it, and the rehearsal would measure that instead of the statement.
     */
    private static void vacuum(Connection connection, java.util.Collection<UserTable> tables) throws java.sql.SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            for (UserTable table : tables) {
                st.execute("VACUUM (ANALYZE) " + table.sqlName());
            }
        }
    }

    private List<JobMeasurement> runJobs(ProbeSet probes, Set<String> jobsBefore) throws Exception {
        if (!hasJobTable()) {
            return List.of();
        }
        probes.reset();
        long started = System.nanoTime();
        drainJobs();
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        Map<String, ProbeSet.Waits> waits = probes.waits();
        long anyWait = waits.values().stream().mapToLong(ProbeSet.Waits::max).max().orElse(0);
        List<JobMeasurement> jobs = new ArrayList<>();
        for (JobView job : new Jobs(sessions).list()) {
            if (jobsBefore.contains(job.name())) {
                continue;
            }
            ProbeSet.Waits onTable = job.table() == null ? null : waits.get(job.table());
            jobs.add(new JobMeasurement(job.name(), job.kind().name(), job.table(), job.state().name(), job.rowsDone(),
                    job.rowsDone() / seconds, onTable == null ? anyWait : onTable.max()));
        }
        return jobs;
    }

    private Set<String> jobNames() throws Exception {
        Set<String> names = new HashSet<>();
        if (hasJobTable()) {
            new Jobs(sessions).list().forEach(job -> names.add(job.name()));
        }
        return names;
    }

    private boolean hasJobTable() throws Exception {
        try (Connection connection = sessions.open()) {
            return Catalog.exists(connection, "zdm_job");
        }
    }

    private void drainJobs() throws Exception {
        if (!hasJobTable()) {
            return;
        }
        try (JobRunner runner = new JobRunner(sessions, JobSettings.defaults().withPollInterval(Duration.ofMillis(50)),
                JobListener.NONE, List.of())) {
            runner.drain(JOB_TIMEOUT);
        }
    }

    /** A guard in {@code warn} mode that lets a slow statement run to its end and keeps what it saw. */
    private javax.sql.DataSource guard(List<Finding> findings) {
        GuardSettings settings = GuardSettings.defaults().withMode(GuardMode.WARN).withStatementTimeout(Duration.ofHours(2));
        return new Guard(settings, new GuardListener() {
            @Override
            public void warned(Finding finding, ChangeSetRef changeSet) {
                findings.add(finding);
            }
        }).wrapForMigrations(sessions);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !text.toString().contains(root.getMessage())) {
            text.append(": ").append(root.getMessage());
        }
        return text.toString();
    }
}
