package dev.zdm.scenario;

import java.util.EnumSet;
import java.util.Random;

/** Scenario from seed: {@code java.util.Random(seed)}, so a seed always gives the same case. */
final class ScenarioGenerator {

    private ScenarioGenerator() {
    }

    static Scenario generate(long seed) {
        Random random = new Random(seed);
        ChangeKind change = pick(random, ChangeKind.values());
        KeyKind key = change.onKey() ? pick(random, KeyKind.INTEGER, KeyKind.SERIAL, KeyKind.IDENTITY)
                : pick(random, KeyKind.values());
        EnumSet<ObjectKind> objects = EnumSet.noneOf(ObjectKind.class);
        for (ObjectKind object : ObjectKind.values()) {
            if (object.appliesTo(change) && random.nextDouble() < object.probability) {
                objects.add(object);
            }
        }
        if (change.onKey()) {
            objects.add(ObjectKind.FK_IN);
        }
        boolean unique = objects.stream().anyMatch(ObjectKind::needsUniqueValues);
        if (unique && (objects.contains(ObjectKind.FK_OUT) || objects.contains(ObjectKind.DERIVING_TRIGGER))) {
            if (random.nextBoolean()) {
                objects.removeAll(ObjectKind.UNIQUE);
            } else {
                objects.remove(ObjectKind.FK_OUT);
                objects.remove(ObjectKind.DERIVING_TRIGGER);
            }
        }
        if (objects.contains(ObjectKind.FK_OUT)) {
            objects.remove(ObjectKind.DERIVING_TRIGGER);
        }
        if (objects.contains(ObjectKind.VIEW_ON_VIEW)) {
            objects.add(ObjectKind.VIEW);
        }
        InvalidValues invalid = InvalidValues.NONE;
        if (change.hasInvalidValues() && !objects.contains(ObjectKind.FK_OUT) && random.nextDouble() < 0.3) {
            invalid = random.nextBoolean() ? InvalidValues.INITIAL : InvalidValues.WRITTEN;
            objects.remove(ObjectKind.DERIVING_TRIGGER);
        }
        EnumSet<Fault> faults = EnumSet.noneOf(Fault.class);
        for (Fault fault : Fault.values()) {
            if (random.nextDouble() < fault.probability && (fault != Fault.SECOND_CHANGE || change.secondType != null)) {
                faults.add(fault);
            }
        }
        boolean lateBeforeCutover = random.nextBoolean();
        int rows = 300 + random.nextInt(2700);
        int writers = 2 + random.nextInt(2);
        int slices = 1 + random.nextInt(2);
        int batchSize = 50 + random.nextInt(200);
        boolean longReader = random.nextDouble() < 0.3;
        EnumSet<Op> ops = EnumSet.noneOf(Op.class);
        for (Op op : Op.values()) {
            if (op.optional > 0 && random.nextDouble() < op.optional) {
                ops.add(op);
            }
        }
        return new Scenario(seed, change, key, objects, faults, invalid, lateBeforeCutover, rows, writers, slices, batchSize,
                longReader, ops);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
