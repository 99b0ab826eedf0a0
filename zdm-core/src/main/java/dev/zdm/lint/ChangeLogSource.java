package dev.zdm.lint;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * A changelog as Liquibase would read it: its files ({@code include}, {@code sqlFile}, {@code loadData} CSVs,
 * {@code createProcedure path}, XSDs) found under the changelog root, then on the project's classes, and classes
 * ({@code customChange}) loaded from the project's classes. Liquibase resolves files and classes through its current
 * {@link Scope}, so everything that reads the changelog runs {@link #inScope inside} one that holds them.
 */
final class ChangeLogSource {

    private final Path root;
    private final ClassLoader classLoader;
    private final ResourceAccessor accessor;

    ChangeLogSource(Path root, ClassLoader classLoader) {
        this.root = root;
        this.classLoader = classLoader;
        try {
            this.accessor = new CompositeResourceAccessor(new DirectoryResourceAccessor(root),
                    new ClassLoaderResourceAccessor(classLoader));
        } catch (FileNotFoundException e) {
            throw new LintException("No changelog root directory " + root, e);
        }
    }

    /** Runs {@code work} in a Liquibase scope with this source's files and classes; failures name the changelog. */
    <T> T inScope(String changeLogPath, Scope.ScopedRunnerWithReturn<T> work) {
        Map<String, Object> attributes = Map.of(Scope.Attr.resourceAccessor.name(), accessor,
                Scope.Attr.classLoader.name(), classLoader, LenientCustomChange.LINT_SCOPE, Boolean.TRUE);
        try {
            LenientCustomChange.register();
            return Scope.child(attributes, work);
        } catch (LintException e) {
            throw e;
        } catch (Exception e) {
            throw new LintException("The changelog " + changeLogPath + " (under " + root + ") cannot be read: "
                    + Linter.rootMessage(e), e);
        }
    }

    /** An offline PostgreSQL: SQL is generated, nothing connects. Call inside {@link #inScope}. */
    Database database() throws Exception {
        return DatabaseFactory.getInstance().openDatabase("offline:postgresql?version=16", null, null, null, accessor);
    }

    /** Parses the changelog with Liquibase's own parsers. Call inside {@link #inScope}. */
    DatabaseChangeLog parse(String changeLogPath, Database database) throws Exception {
        return ChangeLogParserFactory.getInstance().getParser(changeLogPath, accessor)
                .parse(changeLogPath, new ChangeLogParameters(database), accessor);
    }

    Path root() {
        return root;
    }
}
