package dev.zdm.scenario;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The column type changes under test. {@code valid(n)} is a value both types accept, injective in {@code n} for
 * {@code 0 <= n < 1,000,000} (so unique indexes hold); {@code invalid(n)} one that only the old type accepts.
 */
enum ChangeKind {
    INT_TO_BIGINT(ValueFamily.INTEGER, "integer", "bigint", null, "numeric"),
    /** The primary key itself, with a table that references it. */
    PK_INT_TO_BIGINT(ValueFamily.INTEGER, "integer", "bigint", null, null),
    VARCHAR_WIDEN(ValueFamily.STRING, "varchar(20)", "varchar(40)", null, "text"),
    VARCHAR_NARROW(ValueFamily.STRING, "varchar(20)", "varchar(10)", null, null),
    VARCHAR_TO_TEXT(ValueFamily.STRING, "varchar(30)", "text", null, null),
    VARCHAR_TO_UUID(ValueFamily.UUID_STRING, "varchar(36)", "uuid", "%s::uuid", null),
    NUMERIC_UP(ValueFamily.NUMERIC, "numeric(8,2)", "numeric(12,4)", null, null),
    NUMERIC_DOWN(ValueFamily.NUMERIC, "numeric(12,4)", "numeric(8,2)", null, null),
    TIMESTAMP_TO_TIMESTAMPTZ(ValueFamily.TIMESTAMP, "timestamp", "timestamptz", null, null),
    TEXT_TO_INTEGER(ValueFamily.DIGITS, "text", "integer", "trim(%s)::integer", "bigint"),
    INT_TO_NUMERIC(ValueFamily.INTEGER, "integer", "numeric(8,2)", null, null);

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime EPOCH = LocalDateTime.of(2020, 1, 1, 0, 0);

    final ValueFamily family;
    final String oldType;
    final String newType;
    private final String using;
    /** A further change of the same column after contract, or {@code null}. */
    final String secondType;

    ChangeKind(ValueFamily family, String oldType, String newType, String using, String secondType) {
        this.family = family;
        this.oldType = oldType;
        this.newType = newType;
        this.using = using;
        this.secondType = secondType;
    }

    boolean onKey() {
        return this == PK_INT_TO_BIGINT;
    }

    /** The {@code using} expression over {@code column}, or {@code null} for the plain conversion. */
    String using(String column) {
        return using == null ? null : using.formatted(column);
    }

    String valid(long n) {
        return switch (this) {
            case INT_TO_BIGINT, PK_INT_TO_BIGINT, INT_TO_NUMERIC, TEXT_TO_INTEGER -> Long.toString(n);
            case VARCHAR_WIDEN, VARCHAR_NARROW, VARCHAR_TO_TEXT -> "v" + n;
            case VARCHAR_TO_UUID -> new UUID(0x5eed000000000000L, n).toString();
            case NUMERIC_UP -> String.format("%d.%02d", n / 100, n % 100);
            case NUMERIC_DOWN -> String.format("%d.%04d", n, (n * 37) % 10_000);
            case TIMESTAMP_TO_TIMESTAMPTZ -> EPOCH.plusSeconds(n * 977).format(TIMESTAMP);
        };
    }

    boolean hasInvalidValues() {
        return invalid(0) != null;
    }

    /** A value the old type holds and the new one refuses (plain ALTER fails on it), or {@code null}. */
    String invalid(long n) {
        return switch (this) {
            case VARCHAR_NARROW -> "too-long-v-" + (n % 1_000_000);
            case VARCHAR_TO_UUID -> "not-a-uuid-" + n;
            case NUMERIC_DOWN -> (1_000_000 + n) + ".5";
            case INT_TO_NUMERIC -> Long.toString(1_000_000 + n);
            case TEXT_TO_INTEGER -> n % 2 == 0 ? "x" + n : Long.toString(10_000_000_000L + n);
            default -> null;
        };
    }

    /** The column default as SQL in the old type. */
    String defaultSql() {
        return switch (family) {
            case INTEGER, NUMERIC -> "0";
            case STRING -> "'dflt'";
            case UUID_STRING -> "'00000000-0000-0000-0000-000000000000'";
            case TIMESTAMP -> "'2020-01-01 00:00:00'";
            case DIGITS -> "'0'";
        };
    }

    /** The value a row gets from the default, as text in the old type. */
    String defaultValue() {
        String sql = defaultSql();
        return sql.startsWith("'") ? sql.substring(1, sql.length() - 1) : sql;
    }

    /**
     * Where the old default cannot be cast to the new type automatically (PostgreSQL refuses the ALTER), the default
     * that a user's plain migration sets after the ALTER; {@code null} where ALTER converts the default itself.
     */
    String newDefaultSql() {
        return switch (family) {
            case UUID_STRING -> "'00000000-0000-0000-0000-000000000000'::uuid";
            case DIGITS -> "0";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return name() + " (" + oldType + " -> " + newType + ")";
    }
}
