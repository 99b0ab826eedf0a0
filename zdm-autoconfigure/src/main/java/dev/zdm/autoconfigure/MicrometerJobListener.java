package dev.zdm.autoconfigure;

import dev.zdm.jobs.JobListener;
import dev.zdm.jobs.JobView;
import dev.zdm.jobs.Jobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The jobs' meters (tag {@code job}): {@code zdm.backfill.rows} (counter), {@code zdm.backfill.batch} (timer),
 * {@code zdm.backfill.progress} (gauge 0..1, read from the job table at most once a second) and
 * {@code zdm.backfill.throttled} (counter, tag {@code reason}).
 */
public final class MicrometerJobListener implements JobListener {

    private final ObjectProvider<MeterRegistry> registry;
    private final ObjectProvider<Jobs> jobs;
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();
    private final Map<String, double[]> progress = new ConcurrentHashMap<>();

    public MicrometerJobListener(ObjectProvider<MeterRegistry> registry, ObjectProvider<Jobs> jobs) {
        this.registry = registry;
        this.jobs = jobs;
    }

    @Override
    public void batch(String job, long rows, Duration elapsed) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters == null) {
            return;
        }
        meters.counter("zdm.backfill.rows", "job", job).increment(rows);
        meters.timer("zdm.backfill.batch", "job", job).record(elapsed);
        if (gauges.add(job)) {
            Gauge.builder("zdm.backfill.progress", this, listener -> listener.progress(job)).tag("job", job)
                    .description("Share of the job's rows done, 0 to 1").register(meters);
        }
    }

    @Override
    public void throttled(String job, String reason) {
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            meters.counter("zdm.backfill.throttled", "job", job, "reason", reason).increment();
        }
    }

    private double progress(String job) {
        double[] cached = progress.get(job);
        long now = System.nanoTime();
        if (cached == null || now - (long) cached[1] > 1_000_000_000L) {
            double value = jobs.getObject().get(job).map(JobView::percent).orElse(0.0) / 100.0;
            cached = new double[] { value, now };
            progress.put(job, cached);
        }
        return cached[0];
    }
}
