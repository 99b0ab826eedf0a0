package dev.zdm.liquibase.change;

import java.util.ArrayList;
import java.util.List;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/** The SQL of a zdm change for {@code updateSQL}: each step's statement, or a comment where it needs the catalog. */
public final class ZdmChangeStatementGenerator extends AbstractSqlGenerator<ZdmChangeStatement> {

    @Override
    public boolean supports(ZdmChangeStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public ValidationErrors validate(ZdmChangeStatement statement, Database database, SqlGeneratorChain<ZdmChangeStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(ZdmChangeStatement statement, Database database, SqlGeneratorChain<ZdmChangeStatement> chain) {
        List<Sql> sql = new ArrayList<>();
        for (Step step : statement.steps()) {
            sql.add(new UnparsedSql(step.offlineSql()));
        }
        return sql.toArray(new Sql[0]);
    }
}
