package dev.zdm.rehearse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stats file and {@link ProductionStats#fromCatalog} on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ProductionStatsTest {

    private final TestDatabase db;

    ProductionStatsTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void writtenStatsReadBackAndNamesMatchEverySpelling(@TempDir Path dir) throws IOException {
        ProductionStats stats = new ProductionStats(Map.of("public.file", 52_000_000L, "app.\"Order\"", 12L));
        StringWriter out = new StringWriter();
        stats.write(out);
        assertThat(out.toString()).startsWith("# zdm stats").contains("public.file 52000000\n", "app.\"Order\" 12\n");
        Path file = Files.writeString(dir.resolve("stats.txt"), out + "\n# edited by hand\nbig 1_000\n");
        ProductionStats read = ProductionStats.read(file);
        assertThat(read.rows("file")).hasValue(52_000_000L);
        assertThat(read.rows("public.file")).hasValue(52_000_000L);
        assertThat(read.rows("\"public\".\"file\"")).hasValue(52_000_000L);
        assertThat(read.rows("app.\"Order\"")).hasValue(12L);
        assertThat(read.rows("big")).hasValue(1000L);
        assertThat(read.rows("nothing")).isEmpty();
    }

    @Test
    void aBadLineNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("stats.txt"), "# header\npublic.file 10\npublic.other many\n");
        assertThatThrownBy(() -> ProductionStats.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file + ":3: the row count of public.other must be a whole number, not 'many'");
        Path twice = Files.writeString(dir.resolve("twice.txt"), "file 1\npublic.file 2\n");
        assertThatThrownBy(() -> ProductionStats.read(twice)).hasMessageContaining(":2: public.file is listed twice");
        Path alone = Files.writeString(dir.resolve("alone.txt"), "file\n");
        assertThatThrownBy(() -> ProductionStats.read(alone)).hasMessageContaining(":1: expected 'schema.table rows'");
    }

    @Test
    void theCatalogGivesAnalyzedCountsAndSumsPartitions() throws Exception {
        db.execute("DROP TABLE IF EXISTS counted, parted, fresh CASCADE",
                "CREATE TABLE counted (id int PRIMARY KEY, note text)",
                "INSERT INTO counted SELECT g, md5(g::text) FROM generate_series(1, 50000) g",
                "CREATE TABLE parted (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region)",
                "CREATE TABLE parted_eu PARTITION OF parted FOR VALUES IN ('eu')",
                "CREATE TABLE parted_us PARTITION OF parted FOR VALUES IN ('us')",
                "INSERT INTO parted SELECT g, CASE WHEN g % 3 = 0 THEN 'eu' ELSE 'us' END FROM generate_series(1, 30000) g",
                "ANALYZE counted", "ANALYZE parted",
                "CREATE TABLE fresh (id int, note text)", "INSERT INTO fresh SELECT g, 'x' FROM generate_series(1, 20000) g");
        try (Connection connection = db.connect()) {
            CatalogStats catalog = CatalogStats.read(connection);
            ProductionStats stats = catalog.stats();
            assertThat(stats.rows("counted")).hasValue(50_000L);
            assertThat(stats.rows("parted")).hasValue(30_000L);
            assertThat(stats.rows("parted_eu")).isEmpty();
            assertThat(catalog.notes()).anyMatch(note -> note.startsWith("public.fresh: never analyzed"));
            assertThat(stats.rows("fresh").getAsLong()).isBetween(5_000L, 80_000L);
            StringWriter out = new StringWriter();
            catalog.write(out);
            assertThat(out.toString()).startsWith("# zdm stats: row counts from pg_class.reltuples").contains("PostgreSQL 1");
        }
    }
}
