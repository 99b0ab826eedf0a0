package dev.zdm.bench;

import dev.zdm.liquibase.ZdmChangeExecListener;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The mirror trigger's cost on single-row OLTP writes through JDBC: two identical tables with the same shadow
 * column, one with zdm's mirror trigger ({@code file_size::bigint}); single-row INSERTs, single-row UPDATEs
 * of the source column and single-row UPDATEs of another column (auto-commit) take turns in short rounds, order
 * alternating. Prints the median time ratio mirrored / plain, and pinned / unpinned: a third table's mirror function
 * gets the four pinned session settings ({@code ALTER FUNCTION ... SET}), as a timestamp or float conversion's has,
 * which prices the pinning.
 *
 * <p>{@code java -cp zdm-benchmarks/target/benchmarks.jar dev.zdm.bench.MirrorTriggerScenario [rounds] [opsPerRound]}
 */
public final class MirrorTriggerScenario {

    private static final int ROWS = 100_000;

    private MirrorTriggerScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        try (TestDatabase database = TestPostgres.shared().createDatabase("bench_mirror")) {
            for (String table : new String[] { "t_plain", "t_mirrored", "t_pinned" }) {
                database.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, checksum text NOT NULL,"
                        + " file_size integer NOT NULL DEFAULT 0, created timestamptz NOT NULL DEFAULT now())",
                        "INSERT INTO " + table + " (checksum, file_size) SELECT md5(g::text), g FROM generate_series(1, "
                                + ROWS + ") g",
                        "CREATE INDEX ON " + table + " (checksum, file_size)");
            }
            try (Connection connection = database.connect()) {
                Liquibase liquibase = new Liquibase("bench/mirror.yaml", new ClassLoaderResourceAccessor(),
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)));
                liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
                liquibase.update();
            }
            database.execute("ALTER FUNCTION zdm_mirror_t_pinned_file_size_file_size_zdm() SET TimeZone = 'UTC'"
                    + " SET DateStyle = 'ISO, MDY' SET IntervalStyle = 'postgres' SET extra_float_digits = 1",
                    "VACUUM ANALYZE t_plain", "VACUUM ANALYZE t_mirrored", "VACUUM ANALYZE t_pinned");
            try (Connection connection = database.connect()) {
                System.out.printf("PostgreSQL %d, %d rounds of %d single-row writes each way%n",
                        TestPostgres.shared().majorVersion(), rounds, ops);
                for (String kind : new String[] { "INSERT", "UPDATE", "UPDATE_OTHER" }) {
                    compare(connection, kind, "t_plain", "t_mirrored", "mirrored/plain", rounds, ops);
                    compare(connection, kind, "t_mirrored", "t_pinned", "pinned/unpinned", rounds, ops);
                }
            }
        }
    }

    private static void compare(Connection connection, String kind, String baseline, String measured, String label, int rounds,
            int ops) throws SQLException {
        PreparedStatement plain = statement(connection, kind, baseline);
        PreparedStatement mirrored = statement(connection, kind, measured);
        run(plain, kind, ops * 3, 1);
        run(mirrored, kind, ops * 3, 1);
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long a;
            long b;
            if (round % 2 == 0) {
                a = run(plain, kind, ops, round);
                b = run(mirrored, kind, ops, round);
            } else {
                b = run(mirrored, kind, ops, round);
                a = run(plain, kind, ops, round);
            }
            ratios[round] = (double) b / a;
        }
        Arrays.sort(ratios);
        double median = ratios[rounds / 2];
        System.out.printf("  single-row %-12s time ratio %-15s median %.3f (p10 %.3f, p90 %.3f) -> %+.1f%%%n", kind, label,
                median, ratios[rounds / 10], ratios[rounds * 9 / 10], (median - 1) * 100);
    }

    private static PreparedStatement statement(Connection connection, String kind, String table) throws SQLException {
        return connection.prepareStatement(switch (kind) {
            case "INSERT" -> "INSERT INTO " + table + " (checksum, file_size) VALUES (?, ?)";
            case "UPDATE" -> "UPDATE " + table + " SET file_size = ? WHERE id = ?";
            default -> "UPDATE " + table + " SET checksum = md5(?::text) WHERE id = ?";
        });
    }

    private static long run(PreparedStatement statement, String kind, int ops, long seed) throws SQLException {
        Random random = new Random(seed);
        boolean insert = kind.equals("INSERT");
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            if (insert) {
                statement.setString(1, Long.toHexString(random.nextLong()));
                statement.setInt(2, random.nextInt(1_000_000));
            } else {
                statement.setInt(1, random.nextInt(1_000_000));
                statement.setLong(2, 1 + random.nextInt(ROWS));
            }
            statement.executeUpdate();
        }
        return System.nanoTime() - start;
    }
}
