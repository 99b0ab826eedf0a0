package dev.zdm.rehearse;

import dev.zdm.lint.LintFormat.Json;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A rehearsal's result: per new changeset its verdict and measurements; text (a table per changeset and a summary) and
 * JSON ({@code {"changeSets":[{"changeSet","author","file","verdict","tables":[{"table","lock","rewrite","scaling",
 * "probeMaxWaitMs","estimatedBlockMs"}],"suggestion"}]}}, plus a few more fields).
 */
public record RehearsalReport(List<ChangeSetMeasurement> changeSets, long smallRows, long largeRows, Duration maxBlock,
        String server, Duration took) {

    public boolean blocks() {
        return changeSets.stream().anyMatch(c -> c.verdict() == Verdict.BLOCKS);
    }

    /** 0 when every changeset is ok, 1 when one blocks. */
    public int exitCode() {
        return blocks() ? 1 : 0;
    }

    public String summary() {
        long blocking = changeSets.stream().filter(c -> c.verdict() == Verdict.BLOCKS).count();
        return String.format(Locale.ROOT, "zdm rehearse: %d new changeset(s) rehearsed at %,d and %,d rows per table on %s"
                + " in %.1f s: %d block(s) longer than %d ms", changeSets.size(), smallRows, largeRows, server,
                took.toMillis() / 1000.0, blocking, maxBlock.toMillis());
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        for (ChangeSetMeasurement c : changeSets) {
            out.append(c.verdict().id().toUpperCase(Locale.ROOT)).append("  changeset ").append(c.changeSet()).append(" by ")
                    .append(c.author()).append(" (").append(c.file()).append("), ran ").append(c.runMs()[0]).append(" / ")
                    .append(c.runMs()[1]).append(" ms\n");
            if (c.tables().isEmpty()) {
                out.append("    no existing table locked or rewritten\n");
            } else {
                out.append(String.format(Locale.ROOT, "    %-18s %-22s %-8s %-9s %-18s %s%n", "table", "lock", "rewrite",
                        "scaling", "wait small/large", "estimated block"));
                for (TableMeasurement t : c.tables()) {
                    long[] w = t.probeMaxWaitMs();
                    out.append(String.format(Locale.ROOT, "    %-18s %-22s %-8s %-9s %-18s %,d ms at %,d rows (%s)%n",
                            t.table(), t.lock().sqlName(), t.rewrite() ? "yes" : "no", t.scaling().id(),
                            w[0] + " / " + w[1] + " ms", t.estimatedBlockMs(), t.productionRows(), t.blocked()));
                }
            }
            for (JobMeasurement j : c.jobs()) {
                out.append(String.format(Locale.ROOT, "    job %s %s%s, longest probe wait %d ms%n", j.name(), j.state(),
                        j.rows() == 0 ? "" : String.format(Locale.ROOT, ": %,d rows, %,.0f rows/s", j.rows(),
                                j.rowsPerSecond()), j.probeMaxWaitMs()));
            }
            if (c.suggestion() != null) {
                out.append("    instead: ").append(c.suggestion()).append('\n');
            }
        }
        return out.toString();
    }

    public String json() {
        StringBuilder out = new StringBuilder("{\"changeSets\":[");
        for (int i = 0; i < changeSets.size(); i++) {
            ChangeSetMeasurement c = changeSets.get(i);
            out.append(i == 0 ? "" : ",").append("{\"changeSet\":").append(Json.string(c.changeSet()))
                    .append(",\"author\":").append(Json.string(c.author())).append(",\"file\":").append(Json.string(c.file()))
                    .append(",\"verdict\":").append(Json.string(c.verdict().id())).append(",\"runMs\":").append(pair(c.runMs()))
                    .append(",\"tables\":[");
            for (int k = 0; k < c.tables().size(); k++) {
                TableMeasurement t = c.tables().get(k);
                out.append(k == 0 ? "" : ",").append("{\"table\":").append(Json.string(t.table())).append(",\"lock\":")
                        .append(Json.string(t.lock().sqlName())).append(",\"rewrite\":").append(t.rewrite())
                        .append(",\"scaling\":").append(Json.string(t.scaling().id())).append(",\"probeMaxWaitMs\":")
                        .append(pair(t.probeMaxWaitMs())).append(",\"estimatedBlockMs\":").append(t.estimatedBlockMs())
                        .append(",\"readWaitMs\":").append(pair(t.readWaitMs())).append(",\"writeWaitMs\":")
                        .append(pair(t.writeWaitMs())).append(",\"rows\":").append(pair(t.rows()))
                        .append(",\"productionRows\":").append(t.productionRows()).append('}');
            }
            out.append("],\"jobs\":[");
            for (int k = 0; k < c.jobs().size(); k++) {
                JobMeasurement j = c.jobs().get(k);
                out.append(k == 0 ? "" : ",").append("{\"name\":").append(Json.string(j.name())).append(",\"kind\":")
                        .append(Json.string(j.kind())).append(",\"table\":").append(Json.string(j.table()))
                        .append(",\"state\":").append(Json.string(j.state())).append(",\"rows\":").append(j.rows())
                        .append(",\"rowsPerSecond\":").append(Math.round(j.rowsPerSecond())).append(",\"probeMaxWaitMs\":")
                        .append(j.probeMaxWaitMs()).append('}');
            }
            out.append("],\"findings\":[");
            for (int k = 0; k < c.findings().size(); k++) {
                out.append(k == 0 ? "" : ",").append(Json.string(c.findings().get(k).rule().id()));
            }
            out.append("],\"suggestion\":").append(Json.string(c.suggestion())).append('}');
        }
        return out.append("]}\n").toString();
    }

    private static String pair(long[] values) {
        return "[" + values[0] + "," + values[1] + "]";
    }
}
