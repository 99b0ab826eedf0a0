package dev.zdm.rehearse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options of {@code rehearse}, shared by the CLI and the Maven plugin.
 *
 * @param changelog the master changelog
 * @param root the directory the changelog's paths are relative to, or {@code null} for the lint's default
 * @param since rehearse only changesets new since the merge-base of this git ref and HEAD, or {@code null} for all
 * @param rows the larger of the two rehearsal sizes (the smaller is a tenth of it), and the production size of tables
 *     {@code stats} does not name
 * @param stats production row counts per table, or {@code null}
 * @param maxBlock a changeset blocks when writers or readers would wait longer than this
 * @param format {@code text} or {@code json}
 * @param pg the PostgreSQL major of the embedded server (ignored with {@code url})
 * @param url a server to rehearse on instead of an embedded one, or {@code null}
 * @param username its user
 * @param password its password
 * @param allowData rehearse on {@code url} even though its database's tables hold rows
 * @param classpath the project's classes and jars ({@code customChange} classes, resources), maybe empty
 * @param parameters Liquibase changelog parameters ({@code ${name}} in the changelog), maybe empty
 */
public record RehearsalOptions(Path changelog, Path root, String since, long rows, Path stats, Duration maxBlock,
        String format, int pg, String url, String username, String password, boolean allowData, List<Path> classpath,
        java.util.Map<String, String> parameters) {

    public static final long DEFAULT_ROWS = 100_000;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(1);
    public static final int DEFAULT_PG = 18;

    public RehearsalOptions {
        format = format == null ? "text" : format;
        maxBlock = maxBlock == null ? DEFAULT_MAX_BLOCK : maxBlock;
        rows = rows <= 0 ? DEFAULT_ROWS : rows;
        pg = pg <= 0 ? DEFAULT_PG : pg;
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        parameters = parameters == null ? java.util.Map.of() : java.util.Map.copyOf(parameters);
    }

    /** The smaller rehearsal size. */
    public long smallRows() {
        return Math.max(1, rows / 10);
    }
}
