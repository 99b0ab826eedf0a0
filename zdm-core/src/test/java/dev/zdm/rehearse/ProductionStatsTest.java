package dev.zdm.rehearse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.TestDatabase;
import dev.zdm.test.TestPostgres;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stats file: production row counts, written from the catalog (no data read), read back by the rehearsal. */
class ProductionStatsTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenReadsBackTheSame() throws IOException {
        ProductionStats stats = new ProductionStats(Map.of("public.file", 52_000_000L, "billing.\"Order\"", 1200L, "owner", 10L));
        StringWriter text = new StringWriter();
        stats.write(text);
        Path file = Files.writeString(dir.resolve("stats.txt"), text.toString());

        ProductionStats read = ProductionStats.read(file);

        assertThat(read).isEqualTo(stats);
        assertThat(text.toString()).startsWith("# zdm stats").contains("public.file 52000000\n");
        assertThat(read.rows("file")).hasValue(52_000_000L);
        assertThat(read.rows("public.file")).hasValue(52_000_000L);
        assertThat(read.rows("\"public\".\"file\"")).hasValue(52_000_000L);
        assertThat(read.rows("public.owner")).hasValue(10L);
        assertThat(read.rows("billing.\"Order\"")).hasValue(1200L);
        assertThat(read.rows("billing.order")).as("a quoted name keeps its case").isEmpty();
        assertThat(read.rows("public.nothing")).isEmpty();
    }

    @Test
    void aBadLineIsAnErrorNamingTheFileAndTheLine() throws IOException {
        assertBad("# header\npublic.file 12\npublic.owner lots\n", ":3: the row count of public.owner must be a whole number, not 'lots'");
        assertBad("public.file\n", ":1: expected 'schema.table rows'");
        assertBad("public.file -4\n", ":1: the row count of public.file must be 0 or more");
        assertBad("public.file 1\nfile 2\n", ":2: public.file is listed twice");
        assertBad("public.file owner 2\n", ":1: expected one table name and one row count");
        assertThat(ProductionStats.read(Files.writeString(dir.resolve("ok.txt"), "# c\n\npublic.file 1_000_000\n"))
                .rows("file")).hasValue(1_000_000L);
    }

    private void assertBad(String content, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.txt"), content);
        assertThatThrownBy(() -> ProductionStats.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void theCatalogGivesRowCountsWithinAFewPercentAndSumsPartitions() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase("stats_catalog")) {
            db.execute("CREATE TABLE file (id bigint PRIMARY KEY, note text)",
                    "INSERT INTO file SELECT g, 'n' || g FROM generate_series(1, 50000) g",
                    "CREATE TABLE event (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                    "CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                    "CREATE TABLE event_2026 PARTITION OF event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                    "INSERT INTO event SELECT g, date '2025-01-01' + (g % 700) FROM generate_series(1, 30000) g",
                    "CREATE SCHEMA billing", "CREATE TABLE billing.\"Order\" (id int)",
                    "INSERT INTO billing.\"Order\" SELECT generate_series(1, 1200)",
                    "ANALYZE file", "ANALYZE event", "ANALYZE billing.\"Order\"",
                    "CREATE TABLE never_analyzed (id int)");
            ProductionStats stats;
            try (Connection connection = db.connect()) {
                stats = ProductionStats.fromCatalog(connection);
            }
            assertThat(stats.rows("file").getAsLong()).isBetween(48_000L, 52_000L);
            assertThat(stats.rows("event").getAsLong()).as("the parent: the sum of its partitions").isBetween(28_800L, 31_200L);
            assertThat(stats.rows("billing.\"Order\"").getAsLong()).isBetween(1_150L, 1_250L);
            assertThat(stats.rows("never_analyzed")).as("an empty table never analyzed").hasValue(0L);
            assertThat(stats.rowsByTable().keySet()).noneMatch(t -> t.startsWith("pg_catalog.") || t.startsWith("information_schema."));
        }
    }
}
