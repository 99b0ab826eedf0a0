package dev.zdm.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the guard overhead benchmark and prints each guarded variant's throughput as a ratio of the raw
 * pool's, measured in the same run. Extra arguments are JMH's own (e.g. {@code -f 2 -wi 3 -i 5}).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(GuardOverheadBenchmark.class.getSimpleName()).build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> raw = new HashMap<>();
        for (RunResult result : results) {
            if (result.getParams().getParam("dataSource").equals("raw")) {
                raw.put(method(result), result.getPrimaryResult().getScore());
            }
        }
        System.out.println();
        System.out.println("Guard overhead (throughput relative to the raw pool, same run; 1.00 = no overhead):");
        for (RunResult result : results) {
            String variant = result.getParams().getParam("dataSource");
            if (!variant.equals("raw")) {
                double ratio = result.getPrimaryResult().getScore() / raw.get(method(result));
                System.out.printf("  %-12s %-22s %8.0f ops/s  ratio %.3f  (overhead %+.1f%%)%n", method(result), variant,
                        result.getPrimaryResult().getScore(), ratio, (1 - ratio) * 100);
            }
        }
    }

    private static String method(RunResult result) {
        String label = result.getPrimaryResult().getLabel();
        return label.substring(label.lastIndexOf('.') + 1);
    }
}
