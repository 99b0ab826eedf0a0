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
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DML through the guarded DataSource against the raw pool, in the same run on the same database: a
 * prepared point UPDATE and a point SELECT, each borrowing a connection from the pool as application code
 * does. {@code scope=all} makes the guard look at every statement (its worst case); with the default scope
 * it only checks whether a migration is running.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GuardOverheadBenchmark {

    static final int ROWS = 10_000;

    @Param({ "raw", "guarded-default-scope", "guarded-scope-all" })
    public String dataSource;

    private TestDatabase database;
    private HikariDataSource pool;
    private DataSource target;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        database = TestPostgres.shared().createDatabase("bench_guard");
        database.execute("CREATE TABLE t (id int PRIMARY KEY, v bigint NOT NULL)",
                "INSERT INTO t SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "VACUUM ANALYZE t");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        target = switch (dataSource) {
            case "raw" -> pool;
            case "guarded-default-scope" -> new Guard(GuardSettings.defaults(), null).wrap(pool);
            case "guarded-scope-all" -> new Guard(GuardSettings.defaults().withScope(GuardScope.ALL), null).wrap(pool);
            default -> throw new IllegalArgumentException(dataSource);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        database.close();
    }

    @Benchmark
    public int pointUpdate() throws SQLException {
        try (Connection connection = target.getConnection();
                PreparedStatement ps = connection.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?")) {
            ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(ROWS));
            return ps.executeUpdate();
        }
    }

    @Benchmark
    public long pointSelect() throws SQLException {
        try (Connection connection = target.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT v FROM t WHERE id = " + (1 + ThreadLocalRandom.current().nextInt(ROWS)))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
