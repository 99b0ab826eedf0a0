package dev.zdm.liquibase;

import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** Runs a Liquibase update the way an application does, with zdm's listener installed. */
final class Migrations {

    private Migrations() {
    }

    static void update(DataSource dataSource, String changeLog, String startAfter, Map<String, String> parameters)
            throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
            parameters.forEach(liquibase::setChangeLogParameter);
            liquibase.setChangeExecListener(new ZdmChangeExecListener(startAfter));
            liquibase.update();
        }
    }

    static void update(DataSource dataSource, String changeLog) throws Exception {
        update(dataSource, changeLog, null, Map.of());
    }
}
