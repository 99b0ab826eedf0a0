package dev.zdm.rehearse;

import java.util.ArrayList;
import java.util.List;

/**
 * Values for a partitioned table's single-column key that land in its partitions: list partitions' values in turn,
 * or for range partitions a value inside each partition's {@code FROM ... TO} in turn (numbers, dates, timestamps;
 * other types take the lower bound). Rows are still filtered by the partition constraints, so a guess that misses
 * only costs rows, never an error.
 */
final class PartitionValues {

    private PartitionValues() {
    }

    static ValueExpressions.Value of(FillTable table, FillColumn column) {
        if (table.boundValues().isEmpty() || table.partitionKey().size() != 1 || table.partitionKey().get(0) != column.attnum()) {
            return null;
        }
        String type = column.type().baseName();
        String n = ValueExpressions.N;
        if (table.partitionStrategy().equals("l")) {
            List<String> values = table.boundValues();
            return new ValueExpressions.Value("((ARRAY[" + String.join(", ", values) + "])[1 + (" + n + " % " + values.size()
                    + ")::int])::" + type, Long.MAX_VALUE);
        }
        int k = table.boundValues().size();
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String[] bound = table.boundValues().get(i).split("\u0001");
            String lo = "(" + bound[0] + ")::" + type;
            String hi = "(" + bound[1] + ")::" + type;
            String step = "(" + n + " / " + k + ")";
            String value = switch (column.type().typname()) {
                case "int2", "int4", "int8", "numeric" -> "(" + lo + " + " + step + " % greatest(1, " + hi + " - " + lo + "))";
                case "date" -> "(" + lo + " + (" + step + " % greatest(1, " + hi + " - " + lo + "))::int)";
                case "timestamp", "timestamptz" -> "(" + lo + " + (" + step + " % greatest(1, extract(epoch from " + hi + " - " + lo
                        + ")::bigint)) * interval '1 second')";
                default -> lo;
            };
            cases.add("WHEN " + i + " THEN " + value);
        }
        return new ValueExpressions.Value("(CASE " + n + " % " + k + " " + String.join(" ", cases) + " END)::" + type, Long.MAX_VALUE);
    }
}
