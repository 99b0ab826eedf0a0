package dev.zdm.sample;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the sample app, under the prefix {@code sample}. */
@ConfigurationProperties("sample")
public class SampleProperties {

    /**
     * Data directory of the embedded PostgreSQL; kept between restarts when set. When not set, a
     * temporary directory is used and removed at shutdown. Ignored when spring.datasource.url is set.
     */
    private Path dataDir;

    /**
     * Which release of the walk-through runs: 1 baseline, 2 expand, 3 cutover (the API accepts sizes above 2^31-1
     * from here on), 4 contract.
     */
    private int release = 1;

    /** Whether to run the demo: seed rows, start writers, walk releases 1 → 4 in process, then print a summary. */
    private boolean demo;

    /** Rows the demo seeds. */
    private int rows = 100_000;

    public boolean isDemo() {
        return demo;
    }

    public void setDemo(boolean demo) {
        this.demo = demo;
    }

    public int getRows() {
        return rows;
    }

    public void setRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("sample.rows must be 1 or more, not " + rows);
        }
        this.rows = rows;
    }

    public int getRelease() {
        return release;
    }

    public void setRelease(int release) {
        if (release < 1 || release > 4) {
            throw new IllegalArgumentException("sample.release must be 1, 2, 3 or 4, not " + release);
        }
        this.release = release;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }
}
