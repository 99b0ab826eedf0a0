package dev.zdm.scenario;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;

/** The stage a scenario is in, and the longest wait of any workload statement that started in each stage. */
final class Stages {

    private volatile Stage current = Stage.WARMUP;
    private final Map<Stage, LongAccumulator> longest = new ConcurrentHashMap<>();

    Stage current() {
        return current;
    }

    void enter(Stage stage) {
        current = stage;
    }

    void record(Stage stage, long nanos) {
        longest.computeIfAbsent(stage, s -> new LongAccumulator(Math::max, 0)).accumulate(nanos);
    }

    /** Longest statement wait per stage, in milliseconds. */
    Map<Stage, Long> longestWaitMillis() {
        Map<Stage, Long> millis = new EnumMap<>(Stage.class);
        longest.forEach((stage, max) -> millis.put(stage, max.get() / 1_000_000));
        return millis;
    }
}
