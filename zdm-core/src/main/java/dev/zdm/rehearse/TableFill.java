package dev.zdm.rehearse;

import java.time.Duration;

/** One table's fill (placeholder; replaced at merge by the full version). */
public record TableFill(String table, long rowsBefore, long rowsAfter, Duration took, String skippedBecause) {
}
