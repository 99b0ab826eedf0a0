package dev.zdm.rehearse;

/** How a figure grows from the smaller rehearsal size to the larger one. */
public enum Scaling {
    CONSTANT, LINEAR;

    /**
     * Above this many times the smaller figure, for a tenfold size step, a figure grows with the rows: with a fixed
     * cost F and a cost c per row, 2 means the rows' part at the smaller size is at least F/8 (a 20k-row rewrite that
     * takes 119 ms of which most is fixed cost still reads as linear at 352 ms for 200k).
     */
    static final double LINEAR_RATIO = 2.0;
    /** Under this, a figure is noise: constant. */
    static final long FLOOR_MS = DatabaseRun.NOISE_MS;

    /** {@code linear} when the larger figure is well above the smaller one, by more than twice the noise floor. */
    static Scaling of(long smallMs, long largeMs) {
        return largeMs - smallMs >= 2 * FLOOR_MS && largeMs > LINEAR_RATIO * Math.max(smallMs, 1) ? LINEAR : CONSTANT;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
