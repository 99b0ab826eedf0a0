package dev.zdm.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.zdm.guard.Guard;
import dev.zdm.guard.GuardScope;
import dev.zdm.guard.GuardSettings;
import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

/**
 * A/B scenario for the guard's overhead on DML, robust against the drift of a shared 2-core machine:
 * the raw pool and the guarded DataSource (over the same pool, same database) take turns in short rounds
 * (order alternating), and the ratio is taken per round. Prints the median and the 10th-90th percentile of
 * guarded time / raw time for a prepared point UPDATE and a point SELECT.
 *
 * <p>{@code java -cp zdm-benchmarks/target/benchmarks.jar dev.zdm.bench.GuardOverheadScenario [rounds] [opsPerRound]}
 */
public final class GuardOverheadScenario {

    private static final int ROWS = 10_000;

    private GuardOverheadScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        try (TestDatabase database = TestPostgres.shared().createDatabase("bench_guard_ab")) {
            database.execute("CREATE TABLE t (id int PRIMARY KEY, v bigint NOT NULL)",
                    "INSERT INTO t SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "VACUUM ANALYZE t");
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.user());
            config.setPassword(database.password());
            config.setMaximumPoolSize(2);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                DataSource defaultScope = new Guard(GuardSettings.defaults(), null).wrap(pool);
                DataSource scopeAll = new Guard(GuardSettings.defaults().withScope(GuardScope.ALL), null).wrap(pool);
                System.out.printf("PostgreSQL %d, %d rounds of %d operations each way%n",
                        TestPostgres.shared().majorVersion(), rounds, ops);
                for (String sql : List.of("UPDATE t SET v = v + 1 WHERE id = ?", "SELECT v FROM t WHERE id = ?")) {
                    run(sql, pool, ops * 5, 1); // warm up both paths
                    run(sql, scopeAll, ops * 5, 1);
                    report(sql, "guarded, default scope", compare(sql, pool, defaultScope, rounds, ops));
                    report(sql, "guarded, scope=all", compare(sql, pool, scopeAll, rounds, ops));
                }
            }
        }
    }

    private static double[] compare(String sql, DataSource raw, DataSource guarded, int rounds, int ops) throws SQLException {
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long rawNanos;
            long guardedNanos;
            if (round % 2 == 0) {
                rawNanos = run(sql, raw, ops, round);
                guardedNanos = run(sql, guarded, ops, round);
            } else {
                guardedNanos = run(sql, guarded, ops, round);
                rawNanos = run(sql, raw, ops, round);
            }
            ratios[round] = (double) guardedNanos / rawNanos;
        }
        Arrays.sort(ratios);
        return ratios;
    }

    /** Runs {@code ops} statements, each borrowing a pooled connection as application code does; returns nanoseconds. */
    private static long run(String sql, DataSource dataSource, int ops, long seed) throws SQLException {
        Random random = new Random(seed);
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            try (Connection connection = dataSource.getConnection(); PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setInt(1, 1 + random.nextInt(ROWS));
                if (ps.execute()) {
                    try (ResultSet rs = ps.getResultSet()) {
                        rs.next();
                    }
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static void report(String sql, String variant, double[] sortedRatios) {
        List<Double> list = new ArrayList<>();
        for (double r : sortedRatios) {
            list.add(r);
        }
        double median = percentile(sortedRatios, 0.5);
        System.out.printf("  %-40s %-24s time ratio guarded/raw: median %.3f (p10 %.3f, p90 %.3f) -> overhead %+.1f%%%n",
                sql.substring(0, Math.min(40, sql.length())), variant, median, percentile(sortedRatios, 0.1),
                percentile(sortedRatios, 0.9), (median - 1) * 100);
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.round(p * (sorted.length - 1));
        return sorted[index];
    }
}
