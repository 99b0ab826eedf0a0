package dev.zdm.lint;

import liquibase.Scope;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;

/**
 * Liquibase's {@code customChange}, read by the lint: a class that is not on the lint's classpath no longer makes the
 * whole changelog unreadable — the change is kept, knows its class, and generates no SQL, so the lint reports it as
 * not judged. Outside the lint's scope it behaves exactly as Liquibase's own. A custom <em>task</em> change (Java code
 * that runs against the database) is never run by the lint.
 */
@DatabaseChange(name = "customChange", description = "Liquibase's customChange, readable by the lint without its class",
        priority = ChangeMetaData.PRIORITY_DEFAULT + 1)
public class LenientCustomChange extends CustomChangeWrapper {

    /** The scope attribute that marks the lint's reading of a changelog. */
    static final String LINT_SCOPE = "zdm.lint";

    private static volatile boolean registered;

    private String missingClass;
    private String declaredClass;

    static void register() {
        if (!registered) {
            synchronized (LenientCustomChange.class) {
                if (!registered) {
                    Scope.getCurrentScope().getSingleton(ChangeFactory.class).register(new LenientCustomChange());
                    registered = true;
                }
            }
        }
    }

    private static boolean inLint() {
        return Boolean.TRUE.equals(Scope.getCurrentScope().get(LINT_SCOPE, Boolean.class));
    }

    @Override
    public CustomChangeWrapper setClass(String className) throws CustomChangeException {
        declaredClass = className;
        try {
            return super.setClass(className);
        } catch (CustomChangeException e) {
            if (!inLint()) {
                throw e;
            }
            missingClass = className;
            return this;
        }
    }

    @Override
    public void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        if (missingClass == null) {
            super.customLoadLogic(parsedNode, resourceAccessor);
        }
    }

    @Override
    public ValidationErrors validate(Database database) {
        return missingClass != null ? new ValidationErrors() : super.validate(database);
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        if (inLint() && whyNotJudged() != null) {
            return new SqlStatement[0];
        }
        return super.generateStatements(database);
    }

    /** Why the lint cannot judge this change, or {@code null} when its SQL can be generated. */
    String whyNotJudged() {
        if (missingClass != null) {
            return "customChange class " + missingClass + " is not on the lint's classpath (add the project's classes"
                    + " with --classpath; the Maven plugin uses the project's own)";
        }
        if (!(getCustomChange() instanceof CustomSqlChange)) {
            return "customChange class " + declaredClass + " runs Java code against the database, which the lint does"
                    + " not run";
        }
        return null;
    }
}
