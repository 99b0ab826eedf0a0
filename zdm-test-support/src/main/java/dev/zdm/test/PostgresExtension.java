package dev.zdm.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a fresh {@link TestDatabase} on the JVM's one {@link TestPostgres} server:
 * declare a {@code TestDatabase} parameter on a constructor, a lifecycle method or a test. The same
 * database serves every test of the class (and its {@code @Nested} classes) and is dropped after the
 * class.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ExtensionContext classContext = outermostClassContext(extensionContext);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database",
                key -> new ClosingDatabase(TestPostgres.shared().createDatabase(
                        classContext.getRequiredTestClass().getSimpleName())),
                ClosingDatabase.class).database;
    }

    private static ExtensionContext outermostClassContext(ExtensionContext context) {
        ExtensionContext result = context;
        while (result.getParent().isPresent() && result.getParent().get().getTestClass().isPresent()) {
            result = result.getParent().get();
        }
        return result;
    }

    private record ClosingDatabase(TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }
}
