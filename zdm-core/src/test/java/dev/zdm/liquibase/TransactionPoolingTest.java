package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** zdm notices a migration connection that a transaction-mode pooler spreads over several server sessions. */
@ExtendWith(PostgresExtension.class)
class TransactionPoolingTest {

    private final TestDatabase db;

    TransactionPoolingTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aDirectConnectionIsOneSessionAndGetsNoWarning() throws Exception {
        try (Connection direct = db.connect()) {
            assertThat(TransactionPooling.warning(direct)).isEmpty();
            direct.setAutoCommit(false);
            assertThat(TransactionPooling.warning(direct)).isEmpty();
        }
    }

    @Test
    void aConnectionWhoseTransactionsLandOnDifferentSessionsIsNamedWithTheFix() throws Exception {
        try (Connection a = db.connect(); Connection b = db.connect()) {
            Connection pooled = transactionPooler(List.of(a, b));
            assertThat(TransactionPooling.warning(pooled)).hasValueSatisfying(warning -> assertThat(warning)
                    .contains("2 different PostgreSQL sessions").contains("pooler in transaction mode")
                    .contains("spring.liquibase.url"));
        }
    }

    /**
     * What PgBouncer in transaction mode does to a client: each transaction (each statement under auto-commit) runs on
     * whichever server connection is free, here the next of {@code servers}.
     */
    private static Connection transactionPooler(List<Connection> servers) {
        int[] current = { 0 };
        boolean[] autoCommit = { true };
        return (Connection) Proxy.newProxyInstance(TransactionPoolingTest.class.getClassLoader(), new Class<?>[] { Connection.class },
                (proxy, method, args) -> {
                    Connection server = servers.get(current[0] % servers.size());
                    switch (method.getName()) {
                        case "getAutoCommit":
                            return autoCommit[0];
                        case "setAutoCommit":
                            autoCommit[0] = (Boolean) args[0];
                            return null;
                        case "commit":
                            current[0]++;
                            return null;
                        case "createStatement":
                            return Proxy.newProxyInstance(TransactionPoolingTest.class.getClassLoader(),
                                    new Class<?>[] { Statement.class }, (statementProxy, statementMethod, statementArgs) -> {
                                        Statement statement = servers.get(current[0] % servers.size()).createStatement();
                                        try {
                                            return statementMethod.invoke(statement, statementArgs);
                                        } catch (InvocationTargetException e) {
                                            throw e.getCause();
                                        } finally {
                                            if (autoCommit[0] && statementMethod.getName().startsWith("execute")) {
                                                current[0]++;
                                            }
                                        }
                                    });
                        default:
                            try {
                                return method.invoke(server, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }
}
