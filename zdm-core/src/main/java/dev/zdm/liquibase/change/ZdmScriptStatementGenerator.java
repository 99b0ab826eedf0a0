package dev.zdm.liquibase.change;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/**
 * The {@code update-sql} script of a zdm change, for a DBA to run by hand:
 *
 * <ol>
 *   <li>each step's SQL ({@link Step#offlineSql});</li>
 *   <li>where a step needs the catalog or registers background jobs, which a script cannot do, a comment that says so
 *       and what to run instead ({@code liquibase update} with zdm-liquibase.jar, then {@code zdm-cli jobs run});</li>
 *   <li>at the end, {@code RESET} of every session setting the steps changed, so the session is not left with zdm's
 *       200 ms {@code lock_timeout}.</li>
 * </ol>
 */
public final class ZdmScriptStatementGenerator extends AbstractSqlGenerator<ZdmScriptStatement> {

    private static final Pattern SET = Pattern.compile("(?m)^SET (lock_timeout|statement_timeout)\\b");

    /** The comment after a step the script cannot do; names both ways to get it done. */
    static final String NOT_IN_SCRIPT = "-- zdm: this script cannot do the step above (it reads the catalog, or registers"
            + " background jobs in zdm_job): run this changeset with 'liquibase update' (zdm-liquibase.jar in Liquibase's lib/)"
            + " instead of this script, then run its jobs with: zdm-cli jobs run --url JDBC_URL --until-done (or mvn"
            + " dev.zdm:zdm-maven-plugin:jobs-run -Dzdm.url=JDBC_URL), and wait for them with: zdm-cli jobs wait --ready"
            + " TABLE.COLUMN --url JDBC_URL";

    @Override
    public boolean supports(ZdmScriptStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public ValidationErrors validate(ZdmScriptStatement statement, Database database, SqlGeneratorChain<ZdmScriptStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(ZdmScriptStatement statement, Database database, SqlGeneratorChain<ZdmScriptStatement> chain) {
        List<Sql> sql = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        for (Step step : statement.steps()) {
            String text = step.offlineSql();
            Matcher set = SET.matcher(text);
            while (set.find()) {
                changed.add(set.group(1));
            }
            sql.add(new UnparsedSql(onlyComments(text) ? text + "\n" + NOT_IN_SCRIPT : text));
        }
        for (String setting : changed) {
            sql.add(new UnparsedSql("RESET " + setting));
        }
        return sql.toArray(new Sql[0]);
    }

    /** Whether {@code text} holds no statement, only {@code --} comments: a step done by Java code at run time. */
    static boolean onlyComments(String text) {
        return text.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("--"));
    }
}
