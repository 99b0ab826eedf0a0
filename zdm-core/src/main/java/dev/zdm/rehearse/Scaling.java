package dev.zdm.rehearse;

/** How a figure grows from the smaller rehearsal size to the larger one. */
public enum Scaling {
    CONSTANT, LINEAR;

    /** Above this many times the smaller figure, for a tenfold size step, a figure grows with the rows. */
    static final double LINEAR_RATIO = 3.0;
    /** Under this, a figure is noise: constant. */
    static final long FLOOR_MS = DatabaseRun.NOISE_MS;

    /** {@code linear} when the larger figure is above the noise floor and well above the smaller one. */
    static Scaling of(long smallMs, long largeMs) {
        return largeMs >= FLOOR_MS && largeMs > LINEAR_RATIO * Math.max(smallMs, 1) ? LINEAR : CONSTANT;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
