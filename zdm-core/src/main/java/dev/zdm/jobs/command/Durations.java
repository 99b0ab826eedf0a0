package dev.zdm.jobs.command;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations as typed on a command line: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, or ISO-8601 {@code PT10M}. */
public final class Durations {

    private Durations() {
    }

    static Duration parse(String option, String text) {
        return read(text).orElseThrow(() -> new UsageException(option + " takes a duration such as 30s, 10m or 1h, not '"
                + text + "'"));
    }

    /** {@code text} as a duration ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code PT10M}), if it is one. */
    public static java.util.Optional<Duration> read(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return java.util.Optional.of(Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT)));
            }
            if (t.endsWith("ms")) {
                return java.util.Optional.of(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return java.util.Optional.of(Duration.ofSeconds(n));
                case 'm':
                    return java.util.Optional.of(Duration.ofMinutes(n));
                case 'h':
                    return java.util.Optional.of(Duration.ofHours(n));
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // not a duration
        }
        return java.util.Optional.empty();
    }

    /** {@code 1h 2m}, {@code 3m 4s}, {@code 5s}. */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }
}
