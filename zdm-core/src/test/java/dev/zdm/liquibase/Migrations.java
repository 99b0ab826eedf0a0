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
public final class Migrations {

    private Migrations() {
    }

    public static void update(DataSource dataSource, String changeLog, String startAfter, Map<String, String> parameters)
            throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
            parameters.forEach(liquibase::setChangeLogParameter);
            liquibase.setChangeExecListener(new ZdmChangeExecListener(startAfter));
            liquibase.update();
        }
    }

    /** Runs {@code changeLog}, a file under {@code root} (a directory the test wrote its changelogs to). */
    public static void update(DataSource dataSource, java.nio.file.Path root, String changeLog) throws Exception {
        try (Connection connection = dataSource.getConnection();
                liquibase.resource.DirectoryResourceAccessor files = new liquibase.resource.DirectoryResourceAccessor(root)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(changeLog, files, database);
            liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
            liquibase.update();
        }
    }

    public static void update(DataSource dataSource, String changeLog) throws Exception {
        update(dataSource, changeLog, null, Map.of());
    }

    public static void rollback(DataSource dataSource, String changeLog, int changeSets) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
            liquibase.setChangeExecListener(new ZdmChangeExecListener(null));
            liquibase.rollback(changeSets, (String) null);
        }
    }

    /** What {@code updateSQL} prints for the changelog, with the changelog's own name blanked out. */
    public static String updateSql(DataSource dataSource, String changeLog) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
            java.io.StringWriter out = new java.io.StringWriter();
            liquibase.update(new liquibase.Contexts(), out);
            return out.toString();
        }
    }

    /** The checksum of every changeset of a changelog, by id. */
    public static Map<String, String> checksums(String changeLog) throws Exception {
        liquibase.changelog.DatabaseChangeLog log = liquibase.parser.ChangeLogParserFactory.getInstance()
                .getParser(changeLog, new ClassLoaderResourceAccessor())
                .parse(changeLog, new liquibase.changelog.ChangeLogParameters(), new ClassLoaderResourceAccessor());
        Map<String, String> sums = new java.util.LinkedHashMap<>();
        for (liquibase.changelog.ChangeSet changeSet : log.getChangeSets()) {
            sums.put(changeSet.getId(), changeSet.generateCheckSum(liquibase.ChecksumVersion.latest()).toString());
        }
        return sums;
    }
}
