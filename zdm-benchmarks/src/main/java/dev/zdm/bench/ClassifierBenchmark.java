package dev.zdm.bench;

import dev.zdm.sql.StatementClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** What the guard's hot path costs per statement when it has to look (scope=all): the allocation-free DDL check. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClassifierBenchmark {

    @Param({ "UPDATE t SET v = v + 1 WHERE id = ?", "/* app */ SELECT v FROM t WHERE id = ?",
            "insert into file (checksum, file_size) values (?, ?) returning id" })
    public String sql;

    @Benchmark
    public boolean mayBeDdl() {
        return StatementClassifier.mayBeDdl(sql);
    }
}
