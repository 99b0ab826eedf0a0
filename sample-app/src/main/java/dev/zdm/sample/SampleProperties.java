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

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }
}
