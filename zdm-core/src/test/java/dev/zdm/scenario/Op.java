package dev.zdm.scenario;

/** The workload's statements. */
enum Op {
    UPDATE_COLUMN(25, 0), UPDATE_OTHER(15, 0), UPDATE_FACTORS(10, 0), UPDATE_KEY(10, 0.4), DELETE(5, 0.7), INSERT(10, 0),
    INSERT_WITHOUT_COLUMN(6, 0.7), INSERT_GENERATED_KEY(6, 0.7), UPSERT(10, 0.7);

    final int weight;
    /** Probability that a scenario's workload uses it; 0: always used. */
    final double optional;

    Op(int weight, double optional) {
        this.weight = weight;
        this.optional = optional;
    }

    boolean appliesTo(Scenario s) {
        if (optional > 0 && !s.ops().contains(this)) {
            return false;
        }
        return switch (this) {
            case UPDATE_COLUMN -> !s.change().onKey();
            case INSERT_WITHOUT_COLUMN -> s.insertWithoutColumn();
            case INSERT_GENERATED_KEY -> s.key().generated();
            case UPDATE_FACTORS -> true;
            default -> true;
        };
    }

    /** Whether the statement needs an existing row of the writer. */
    boolean needsRow() {
        return switch (this) {
            case UPDATE_COLUMN, UPDATE_OTHER, UPDATE_FACTORS, UPDATE_KEY, DELETE -> true;
            default -> false;
        };
    }
}
