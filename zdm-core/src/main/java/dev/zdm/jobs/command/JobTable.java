package dev.zdm.jobs.command;

import dev.zdm.jobs.JobState;
import dev.zdm.jobs.JobView;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** How {@code jobs list} and {@code jobs show} print jobs. */
final class JobTable {


    private JobTable() {
    }

    static void list(List<JobView> jobs, PrintStream out) {
        if (jobs.isEmpty()) {
            out.println("no jobs registered");
            return;
        }
        int width = Math.max(4, jobs.stream().mapToInt(j -> j.name().length()).max().orElse(4));
        String row = "%-" + width + "s  %-9s %-10s %6s %15s %10s %8s  %s%n";
        out.printf(row, "NAME", "KIND", "STATE", "DONE", "ROWS", "ROWS/S", "ETA", "WAITS FOR / LAST ERROR");
        for (JobView job : jobs) {
            out.printf(row, job.name(), kind(job), job.state(), String.format(Locale.ROOT, "%.0f%%", job.percent()),
                    job.countsRows() ? String.format(Locale.ROOT, "%,d", job.rowsDone()) : "-", rate(job), eta(job), note(job));
        }
    }

    static void show(JobView job, PrintStream out) {
        out.printf("name:          %s%n", job.name());
        out.printf("kind:          %s%n", kind(job));
        out.printf("table:         %s%n", job.table());
        out.printf("state:         %s%n", job.state());
        out.printf(Locale.ROOT, "progress:      %.1f%% (%,d of about %,d rows)%n", job.percent(), job.rowsDone(), job.rowsTotalEstimate());
        out.printf("rows/s:        %s%n", rate(job));
        out.printf("eta:           %s%n", eta(job));
        out.printf("batch size:    %s%n", job.batchSize() == null ? "-" : job.batchSize());
        out.printf("waits for:     %s%n", job.dependsOn().isEmpty() ? "-" : String.join(", ", job.dependsOn()));
        out.printf("last error:    %s%n", job.lastError() == null ? "-" : job.lastError());
        out.printf("rejected rows: %d%s%n", job.rejectedRows(), job.rejectedSamples().isEmpty() ? ""
                : " (keys " + String.join(", ", job.rejectedSamples()) + ")");
        out.printf("updated at:    %s%n", job.updatedAt());
    }

    /** The line {@code jobs run} prints per job at the end. */
    static String summary(JobView job) {
        return String.format(Locale.ROOT, "%-10s %-9s %s%s%s", job.state(), kind(job), job.name(),
                job.countsRows() ? String.format(Locale.ROOT, ": %,d rows", job.rowsDone()) : "",
                job.lastError() == null ? "" : " - " + job.lastError());
    }

    static String kind(JobView job) {
        return job.kind().name().toLowerCase(Locale.ROOT);
    }

    static String rate(JobView job) {
        return job.rowsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f", job.rowsPerSecond());
    }

    static String eta(JobView job) {
        return job.eta() == null ? "-" : Durations.human(job.eta());
    }

    private static String note(JobView job) {
        if (job.lastError() != null) {
            return job.lastError();
        }
        return job.state() == JobState.PENDING && !job.dependsOn().isEmpty() ? String.join(", ", job.dependsOn()) : "";
    }
}
