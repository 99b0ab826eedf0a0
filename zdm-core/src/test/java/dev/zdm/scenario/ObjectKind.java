package dev.zdm.scenario;

import java.util.Set;

/** Objects built on the changing column; {@link #late} ones are created after expand, before cutover. */
enum ObjectKind {
    NOT_NULL(0.3, false), DEFAULT(0.3, false), CHECK(0.25, false), INDEX(0.3, false), MULTI_COLUMN_INDEX(0.2, false),
    PARTIAL_INDEX(0.2, false), EXPRESSION_INDEX(0.2, false), UNIQUE_INDEX(0.15, false), UNIQUE_CONSTRAINT(0.12, false),
    EXCLUSION(0.1, false), FK_OUT(0.15, false), FK_IN(0, false), VIEW(0.25, false), VIEW_ON_VIEW(0.12, false),
    COLUMN_GRANT(0.2, false), POLICY(0.04, false), DERIVING_TRIGGER(0.3, false), GENERATED_COLUMN(0.04, false),
    LATE_INDEX(0.12, true), LATE_CHECK(0.1, true), LATE_UNIQUE(0.08, true);

    static final Set<ObjectKind> UNIQUE = Set.of(UNIQUE_INDEX, UNIQUE_CONSTRAINT, EXCLUSION, LATE_UNIQUE);

    final double probability;
    final boolean late;

    ObjectKind(double probability, boolean late) {
        this.probability = probability;
        this.late = late;
    }

    /** Whether the object can be built on the column of this change. */
    boolean appliesTo(ChangeKind change) {
        return switch (this) {
            case NOT_NULL, DEFAULT, INDEX, GENERATED_COLUMN -> !change.onKey();
            case EXPRESSION_INDEX -> change.family.expression("c") != null;
            case FK_OUT -> Set.of(ChangeKind.INT_TO_BIGINT, ChangeKind.VARCHAR_WIDEN, ChangeKind.VARCHAR_NARROW,
                    ChangeKind.VARCHAR_TO_TEXT).contains(change);
            case FK_IN -> change.onKey();
            case DERIVING_TRIGGER -> Set.of(ChangeKind.INT_TO_BIGINT, ChangeKind.INT_TO_NUMERIC, ChangeKind.NUMERIC_UP,
                    ChangeKind.NUMERIC_DOWN).contains(change);
            default -> true;
        };
    }

    /** Whether values of the column must be unique while it exists. */
    boolean needsUniqueValues() {
        return UNIQUE.contains(this);
    }
}
