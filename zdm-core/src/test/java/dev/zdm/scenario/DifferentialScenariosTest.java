package dev.zdm.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Differential testing of zdm's online column type change: each seed generates a {@link Scenario} (change kind, key,
 * objects on the column, workload, faults) that runs on zdm's table under a live workload and on a twin changed with a
 * plain {@code ALTER ... TYPE}; the two must then agree row by row and in every part of their definition, or zdm must
 * refuse exactly where the plain ALTER fails.
 *
 * <p>{@code mvn verify} runs {@link #CI_SEEDS}; {@code -Dzdm.scenarios=N} runs N random seeds instead (soak, with a
 * summary of waits and refusals), {@code -Dzdm.scenario.seed=S} replays one seed.
 */
@ExtendWith(PostgresExtension.class)
class DifferentialScenariosTest {

    /**
     * Chosen (greedily, from soak runs) so that every change kind runs through all stages at least once, and every key
     * kind, object kind, fault, invalid-value mode, late-object timing and the long reader occur at least once.
     */
    static final long[] CI_SEEDS = { 105, 5005, 5009, 5011, 5018, 5029, 5031, 5035, 5036, 5066, 5071, 7003, 7010, 7012, 7015,
        7016, 7020, 7030, 7032, 7033, 7034, 7037, 7044, 7049, 7052, 7053 };

    static {
        Logger.getLogger("liquibase").setLevel(Level.WARNING);
    }

    private final ScenarioRunner runner;
    private final SoakSummary summary = new SoakSummary();

    DifferentialScenariosTest(TestDatabase db) {
        this.runner = new ScenarioRunner(db);
    }

    @TestFactory
    Stream<DynamicTest> scenarios() {
        List<DynamicTest> tests = new ArrayList<>();
        for (long seed : seeds()) {
            Scenario scenario = ScenarioGenerator.generate(seed);
            tests.add(DynamicTest.dynamicTest("seed " + seed + ": " + scenario.describe(), () -> {
                Outcome outcome = runner.run(scenario);
                summary.add(outcome);
                System.out.println("scenario " + seed + " " + outcome.verdict() + " in " + outcome.millis() + " ms, refusals "
                        + outcome.refusals().stream().map(Outcome.Refusal::kind).toList() + ", longest waits (ms) "
                        + outcome.longestWaits() + " :: " + scenario.describe());
                if (outcome.failed()) {
                    fail("seed " + seed + ": " + outcome.differences().get(0) + "\n" + outcome.reproduction());
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("summary", () -> System.out.println(summary.render())));
        return tests.stream();
    }

    private static List<Long> seeds() {
        String one = System.getProperty("zdm.scenario.seed");
        if (one != null && !one.isBlank()) {
            return List.of(Long.parseLong(one.trim()));
        }
        String count = System.getProperty("zdm.scenarios");
        List<Long> seeds = new ArrayList<>();
        if (count != null && !count.isBlank()) {
            Random random = new Random();
            String base = System.getProperty("zdm.scenarios.from");
            for (int i = 0; i < Integer.parseInt(count.trim()); i++) {
                seeds.add(base != null ? Long.parseLong(base.trim()) + i : Math.floorMod(random.nextLong(), 1_000_000_000L));
            }
            return seeds;
        }
        for (long seed : CI_SEEDS) {
            seeds.add(seed);
        }
        return seeds;
    }
}
