package dev.zdm.autoconfigure;

import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The jobs' meters, registered when the registry binds (zero where nothing happened yet).
 * <p>
 * Per job (tag {@code job}), for every job in {@code zdm_job} at start-up and for each job registered later (seen
 * at the next refresh): {@code zdm.backfill.rows} (counter), {@code zdm.backfill.batch} (timer),
 * {@code zdm.backfill.progress} (gauge 0..1, from the cached snapshot below) and
 * {@code zdm.backfill.throttled} (counter, tag {@code reason}, one series per reason zdm knows).
 * <p>
 * Aggregate: {@code zdm.jobs} (gauge, tag {@code state}, one series per state: {@code FAILED} is the one to alert
 * on) and {@code zdm.mirror.rejects} (gauge: rows the mirror trigger could not convert, recorded in
 * {@code zdm_mirror_reject}). Both read one cached snapshot of the database, refreshed at most every
 * {@link #REFRESH} when scraped, off the scrape's thread; a failing or slow query keeps the last values and never
 * fails the scrape or holds it longer than {@link #SCRAPE_WAIT}.
 */
public final class MicrometerJobListener implements JobListener, MeterBinder, AutoCloseable {

    /** How long the database snapshot behind the aggregate gauges is reused. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    /** How long a scrape waits for a refresh of that snapshot before it reads the last values. */
    static final Duration SCRAPE_WAIT = Duration.ofSeconds(1);

    /** The reasons a runner may be held back for, each a {@code zdm.backfill.throttled} series from the start. */
    static final List<String> THROTTLE_REASONS = List.of("replication-lag", "max-rows-per-second", "lock-timeout",
            "statement-timeout");

    private static final Logger log = LoggerFactory.getLogger(MicrometerJobListener.class);

    private final ObjectProvider<MeterRegistry> registry;
    private final ObjectProvider<Jobs> jobs;
    private final ObjectProvider<DataSource> dataSource;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "zdm-meters");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Snapshot> inFlight;
    private long inFlightDeadline;
    private volatile MeterRegistry bound;
    private volatile Snapshot snapshot = new Snapshot(new EnumMap<>(JobState.class), 0, Map.of(),
            System.nanoTime() - REFRESH.toNanos() - 1); // stale: the first read goes to the database

    public MicrometerJobListener(ObjectProvider<MeterRegistry> registry, ObjectProvider<Jobs> jobs,
            ObjectProvider<DataSource> dataSource) {
        this.registry = registry;
        this.jobs = jobs;
        this.dataSource = dataSource;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        bound = meters;
        for (JobState state : JobState.values()) {
            Gauge.builder("zdm.jobs", this, listener -> listener.snapshot().count(state)).tag("state", state.name())
                    .description("Number of zdm jobs in this state (alert on state=FAILED above 0)").register(meters);
        }
        Gauge.builder("zdm.mirror.rejects", this, listener -> listener.snapshot().mirrorRejects())
                .description("Rows whose value the mirror trigger could not convert to the new column type"
                        + " (zdm_mirror_reject); the cutover refuses while there are any")
                .register(meters);
        snapshot(); // registers the meters of every job that exists now
    }

    @Override
    public void batch(String job, long rows, Duration elapsed) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        register(meters, job);
        rows(meters, job).increment(rows);
        batchTimer(meters, job).record(elapsed);
    }

    @Override
    public void throttled(String job, String reason) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            register(meters, job);
            throttled(meters, job, reason).increment();
        }
    }

    /** Registers the meters of {@code job}, once. */
    private void register(MeterRegistry meters, String job) {
        if (!registered.add(job)) {
            return;
        }
        rows(meters, job);
        batchTimer(meters, job);
        Gauge.builder("zdm.backfill.progress", this, listener -> listener.snapshot().progress(job)).tag("job", job)
                .description("Share of the job's rows done, 0 to 1").register(meters);
        for (String reason : THROTTLE_REASONS) {
            throttled(meters, job, reason);
        }
    }

    private static Counter rows(MeterRegistry meters, String job) {
        return Counter.builder("zdm.backfill.rows").tag("job", job).baseUnit("rows")
                .description("Rows a job's batches scanned").register(meters);
    }

    private static Timer batchTimer(MeterRegistry meters, String job) {
        return Timer.builder("zdm.backfill.batch").tag("job", job).description("Run time of one committed batch of a job")
                .register(meters);
    }

    private static Counter throttled(MeterRegistry meters, String job, String reason) {
        return Counter.builder("zdm.backfill.throttled").tag("job", job).tag("reason", reason)
                .description("Times a runner held a job back before a batch, by reason").register(meters);
    }

    /**
     * The cached snapshot. When older than {@link #REFRESH}, one refresh runs on zdm's meter thread and the scrape waits
     * for it at most {@link #SCRAPE_WAIT}, then reads the last values: a slow or blocked database never stalls a
     * scrape for longer.
     */
    private Snapshot snapshot() {
        Snapshot current = snapshot;
        if (fresh(current)) {
            return current;
        }
        CompletableFuture<Snapshot> refresh;
        long waitUntil;
        synchronized (this) {
            if (fresh(snapshot)) {
                return snapshot;
            }
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(this::refresh, refresher);
                inFlightDeadline = System.nanoTime() + SCRAPE_WAIT.toNanos();
            }
            refresh = inFlight;
            waitUntil = inFlightDeadline; // every gauge of one scrape shares the one wait
        }
        try {
            return refresh.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return snapshot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return snapshot;
        }
    }

    private static boolean fresh(Snapshot snapshot) {
        return System.nanoTime() - snapshot.readAt() < REFRESH.toNanos();
    }

    private Snapshot refresh() {
        Snapshot current;
        try {
            current = read();
        } catch (SQLException | RuntimeException e) {
            log.debug("zdm: could not read the job table for the meters, keeping the last values: {}", e.toString());
            Snapshot last = snapshot;
            current = new Snapshot(last.states(), last.mirrorRejects(), last.progress(), System.nanoTime());
        }
        snapshot = current;
        MeterRegistry meters = bound;
        if (meters != null) {
            current.progress().keySet().forEach(job -> register(meters, job));
        }
        return current;
    }

    /** Stops zdm's meter thread. */
    @Override
    public void close() {
        refresher.shutdownNow();
    }

    private Snapshot read() throws SQLException {
        DataSource source = dataSource.getIfAvailable();
        Map<JobState, Long> states = new EnumMap<>(JobState.class);
        Map<String, Double> progress = new java.util.LinkedHashMap<>();
        long rejects = 0;
        if (source == null) {
            return new Snapshot(states, 0, progress, System.nanoTime());
        }
        try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            boolean jobTable;
            boolean rejectTable;
            try (ResultSet rs = statement.executeQuery("SELECT to_regclass('zdm_job') IS NOT NULL,"
                    + " to_regclass('zdm_mirror_reject') IS NOT NULL")) {
                rs.next();
                jobTable = rs.getBoolean(1);
                rejectTable = rs.getBoolean(2);
            }
            Jobs reader = jobs.getIfAvailable();
            if (jobTable && reader != null) {
                for (JobView job : reader.list()) { // the job's percent as the endpoint shows it, on this thread only
                    progress.put(job.name(), job.percent() / 100.0);
                    states.merge(job.state(), 1L, Long::sum);
                }
            } else if (jobTable) {
                try (ResultSet rs = statement.executeQuery("SELECT name, state FROM zdm_job")) {
                    while (rs.next()) {
                        progress.put(rs.getString(1), 0.0);
                        states.merge(JobState.valueOf(rs.getString(2)), 1L, Long::sum);
                    }
                }
            }
            if (rejectTable) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM zdm_mirror_reject")) {
                    rs.next();
                    rejects = rs.getLong(1);
                }
            }
        }
        return new Snapshot(states, rejects, progress, System.nanoTime());
    }

    /** What the gauges read: jobs per state, mirror rejects, and each job's share done (0..1, keyed by job name). */
    private record Snapshot(Map<JobState, Long> states, long mirrorRejects, Map<String, Double> progress, long readAt) {

        double count(JobState state) {
            return states.getOrDefault(state, 0L);
        }

        double progress(String job) {
            return progress.getOrDefault(job, 0.0);
        }
    }
}
