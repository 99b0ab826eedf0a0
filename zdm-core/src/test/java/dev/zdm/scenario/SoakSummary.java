package dev.zdm.scenario;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of many scenarios saw: the distribution of the longest workload wait per stage (a figure, not an
 * assertion), counts by change kind and by refusal kind, and the failing seeds.
 */
final class SoakSummary {

    private final List<Outcome> outcomes = new ArrayList<>();

    synchronized void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    synchronized String render() {
        StringBuilder out = new StringBuilder("=== differential scenarios: " + outcomes.size() + " run, "
                + outcomes.stream().filter(Outcome::failed).count() + " failed\n");
        Map<ChangeKind, int[]> byChange = new EnumMap<>(ChangeKind.class);
        Map<String, Integer> byRefusal = new TreeMap<>();
        Map<Stage, List<Long>> waits = new EnumMap<>(Stage.class);
        for (Outcome o : outcomes) {
            int[] counts = byChange.computeIfAbsent(o.scenario().change(), c -> new int[3]);
            counts[o.verdict().ordinal()]++;
            o.refusals().forEach(r -> byRefusal.merge(r.kind(), 1, Integer::sum));
            o.longestWaits().forEach((stage, ms) -> waits.computeIfAbsent(stage, x -> new ArrayList<>()).add(ms));
        }
        out.append("by change kind (passed / refused as expected / failed):\n");
        byChange.forEach((change, c) -> out.append(String.format("  %-26s %3d / %3d / %3d%n", change.name(), c[0], c[1], c[2])));
        out.append("refusals by kind: ").append(byRefusal).append('\n');
        out.append("longest statement wait of the workload per scenario, by stage (ms): p50 / p90 / max (n)\n");
        waits.forEach((stage, list) -> {
            List<Long> sorted = list.stream().sorted().toList();
            out.append(String.format("  %-14s %6d / %6d / %6d  (%d)%n", stage, percentile(sorted, 0.5), percentile(sorted, 0.9),
                    sorted.get(sorted.size() - 1), sorted.size()));
        });
        Map<String, List<Long>> bySignature = new TreeMap<>();
        for (Outcome o : outcomes) {
            for (String signature : signatures(o)) {
                bySignature.computeIfAbsent(signature, x -> new ArrayList<>()).add(o.scenario().seed());
            }
        }
        out.append("failures grouped by kind of difference (a seed may show several):\n");
        bySignature.forEach((signature, seeds) -> out.append("  ").append(signature).append(": ").append(seeds).append('\n'));
        out.append("failing seeds:\n");
        for (Outcome o : outcomes) {
            if (o.failed()) {
                out.append("  ").append(o.scenario().seed()).append("  ").append(o.scenario().describe()).append("\n      ")
                        .append(Changelogs.firstLine(o.differences().get(0))).append('\n');
            }
        }
        return out.toString();
    }

    /** Each kind of difference a failed scenario shows, with the scenario's names replaced by T. */
    static java.util.Set<String> signatures(Outcome o) {
        java.util.Set<String> signatures = new java.util.TreeSet<>();
        if (!o.failed()) {
            return signatures;
        }
        for (String d : o.differences()) {
            String line = SchemaSnapshot.normalize(Changelogs.firstLine(d), o.scenario().table());
            String signature;
            if (line.startsWith("writer") || line.startsWith("long reader")) {
                int detail = line.indexOf("  Detail");
                signature = "application error: " + line.substring(line.indexOf("failed: ") + 8, detail > 0 ? detail
                        : Math.min(line.length(), line.indexOf("failed: ") + 110));
            } else if (line.startsWith("row id=")) {
                signature = line.contains("zdm has null,") ? "data: zdm's value is NULL" : line.contains("is missing")
                        ? "data: row missing" : line.contains("is extra") ? "data: extra row" : "data: value differs";
            } else if (line.startsWith("zdm refused the cutover, but the plain ALTER succeeds")) {
                int ready = line.indexOf("not ready: ");
                signature = "refused though plain ALTER works: " + (ready > 0 ? line.substring(ready, line.indexOf(". Watch", ready) > 0
                        ? line.indexOf(". Watch", ready) : line.length()) : line.substring(54, Math.min(line.length(), 200)));
            } else if (line.startsWith("zdm did not refuse")) {
                signature = "not refused: " + line.substring(0, Math.min(line.length(), 90));
            } else if (line.startsWith("compared with the data before the ALTER")) {
                signature = "not refused: a value the plain ALTER refuses was changed";
            } else if (line.startsWith("after the refused cutover")) {
                signature = "refused, but a value changed";
            } else if (line.startsWith("the cutover refusal names none")) {
                signature = "cutover refusal names no row or value";
            } else if (line.startsWith("expand refused")) {
                signature = "expand refusal names no object/fix";
            } else if (line.contains(": zdm has ")) {
                signature = "schema " + line.substring(0, Math.min(line.length(), 90));
            } else if (line.startsWith("... ")) {
                continue;
            } else {
                String full = SchemaSnapshot.normalize(d, o.scenario().table());
                int error = full.lastIndexOf("ERROR: ");
                String cause = error < 0 ? full : full.substring(error);
                int end = cause.indexOf('\n');
                signature = "stage: " + line.substring(0, line.indexOf(':') + 1) + " " + (end < 0 ? cause : cause.substring(0, end));
            }
            signatures.add(signature.replaceAll("\\d{4,}", "N"));
        }
        return signatures;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
