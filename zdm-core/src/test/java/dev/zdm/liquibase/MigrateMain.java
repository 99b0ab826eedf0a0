package dev.zdm.liquibase;

import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** A separate JVM that migrates and can be killed: {@code MigrateMain <jdbcUrl> <user> <changelog> <sleepSeconds>}. */
public final class MigrateMain {

    private MigrateMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        Migrations.update(dataSource, args[2], null, Map.of("sleep", args[3]));
    }
}
