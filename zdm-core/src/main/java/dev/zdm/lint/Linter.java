package dev.zdm.lint;

import dev.zdm.liquibase.ZdmChangeExecListener;
import dev.zdm.liquibase.change.AbstractZdmChange;
import dev.zdm.liquibase.change.AddShadowColumnChange;
import dev.zdm.liquibase.change.ExpandColumnTypeChange;
import dev.zdm.sql.ClassifiedStatement;
import dev.zdm.sql.Finding;
import dev.zdm.sql.FragmentProblem;
import dev.zdm.sql.SqlLexer;
import dev.zdm.sql.StatementClassifier;
import dev.zdm.sql.TransactionJudge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseList;
import liquibase.database.ObjectQuotingStrategy;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * Lints a changelog with the guard's rules, knowing its whole history.
 *
 * <ol>
 *   <li>Parse the changelog with Liquibase's own parsers (XML, YAML, JSON, formatted SQL, includes), inside a Liquibase
 *       scope that finds its files and classes ({@link ChangeLogSource}); a {@code customChange} whose class is missing
 *       is kept and reported not judged.</li>
 *   <li>Replay every changeset, old and new, in order into a {@link SchemaModel}: Liquibase's changes through the SQL
 *       they generate for an offline PostgreSQL (with the changeset's quoting strategy and {@code <modifySql>} applied: the
 *       SQL Liquibase would run), zdm's changes by what they mean.</li>
 *   <li>Judge each statement of a new changeset with {@link TransactionJudge} (the changeset as one transaction) against
 *       the model as it stands just before
 *       it, knowing {@code runInTransaction}; zdm's changes are validated, not judged (safe by construction): first
 *       the attributes they write into SQL ({@code sql-in-attribute}: one type name, one expression, no {@code ;}, no
 *       comment ...), then the rest of their validation.</li>
 *   <li>Report with the changeset's file and line; {@code allowUnsafe} turns a finding into info with its reason.</li>
 * </ol>
 */
public final class Linter {

    /** The rule of an attribute of a zdm change that is not the one piece of SQL it must be (e.g. holds a ';'). */
    public static final String SQL_IN_ATTRIBUTE = "sql-in-attribute";

    /** The rule of a change whose SQL the lint cannot see (a missing customChange class, SQL it cannot generate). */
    public static final String NOT_JUDGED = "not-judged";

    private final ClassLoader projectClasses;

    /** A lint that loads {@code customChange} classes only from its own classpath. */
    public Linter() {
        this(Linter.class.getClassLoader());
    }

    /** A lint that also finds the project's classes and resources ({@code customChange}, XSDs) in {@code projectClasses}. */
    public Linter(ClassLoader projectClasses) {
        this.projectClasses = projectClasses;
    }

    /** Lints every changeset ({@code newChangeSets == null}) or only those whose {@link #key} is in the set. */
    public LintReport lint(Path root, String changeLogPath, Set<String> newChangeSets) {
        ChangeLogSource source = new ChangeLogSource(root, projectClasses);
        return source.inScope(changeLogPath, () -> {
            Database database = source.database();
            DatabaseChangeLog changeLog = source.parse(changeLogPath, database);
            return judge(changeLog, database, new ChangeSetLines(root), newChangeSets);
        });
    }

    private static LintReport judge(DatabaseChangeLog changeLog, Database database, ChangeSetLines lines,
            Set<String> newChangeSets) {
        SchemaModel model = new SchemaModel();
        List<LintFinding> findings = new ArrayList<>();
        int judged = 0;
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            boolean isNew = newChangeSets == null || newChangeSets.contains(key(changeSet));
            if (isNew) {
                judged++;
            }
            String allowUnsafe = ZdmChangeExecListener.allowUnsafe(changeSet);
            int line = lines.line(normalize(changeSet.getFilePath()), changeSet.getId(), changeSet.getAuthor());
            database.setObjectQuotingStrategy(changeSet.getObjectQuotingStrategy() == null ? ObjectQuotingStrategy.LEGACY
                    : changeSet.getObjectQuotingStrategy());
            TransactionJudge judge = new TransactionJudge(model, changeSet.isRunInTransaction(), changeSet.isRunInTransaction());
            for (Change change : changeSet.getChanges()) {
                if (change instanceof AbstractZdmChange zdm) {
                    if (isNew) {
                        validate(zdm, database, changeSet, line, findings);
                    }
                    if (zdm instanceof AddShadowColumnChange shadow) {
                        model.addColumn(shadow.getTableName(), shadow.shadowColumn(), shadow.getNewDataType());
                    } else if (zdm instanceof ExpandColumnTypeChange expand) {
                        model.addColumn(expand.getTableName(), expand.shadow(), expand.getNewDataType());
                    }
                    continue;
                }
                if (change instanceof LenientCustomChange custom && custom.whyNotJudged() != null) {
                    if (isNew) {
                        findings.add(notJudged(changeSet, line, custom.whyNotJudged() + "; review it by hand"));
                    }
                    continue;
                }
                for (String sql : sqlOf(change, database, changeSet, line, isNew, findings)) {
                    for (String statementSql : SqlLexer.splitStatements(sql)) {
                        ClassifiedStatement statement = StatementClassifier.classifyInMigration(statementSql);
                        List<Finding> verdict = judge.judge(statement);
                        if (isNew) {
                            for (Finding finding : verdict) {
                                findings.add(finding(changeSet, line, finding, allowUnsafe));
                            }
                        }
                        if (statement.kind() == dev.zdm.sql.StatementKind.NOT_DDL) {
                            judge.noteRows(statementSql); // an INSERT or COPY: the table may hold rows again
                        }
                        model.apply(statement, isNew);
                        model.noteRows(statementSql);
                    }
                }
            }
            model.endChangeSet();
        }
        return new LintReport(List.copyOf(findings), judged, changeLog.getChangeSets().size());
    }

    /** Every changeset's key in a changelog: {@code file::id::author}. */
    public Set<String> keys(Path root, String changeLogPath) {
        ChangeLogSource source = new ChangeLogSource(root, projectClasses);
        return source.inScope(changeLogPath, () -> {
            DatabaseChangeLog changeLog = source.parse(changeLogPath, source.database());
            Set<String> keys = new LinkedHashSet<>();
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                keys.add(key(changeSet));
            }
            return keys;
        });
    }

    /** {@code file::id::author} with the file relative to the changelog root. */
    public static String key(ChangeSet changeSet) {
        return normalize(changeSet.getFilePath()) + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }

    private static void validate(AbstractZdmChange change, Database database, ChangeSet changeSet, int line,
            List<LintFinding> findings) {
        List<FragmentProblem> problems = change.attributeProblems();
        if (!problems.isEmpty()) {
            // The same lexical check the change runs before any SQL (the server's part needs a database).
            for (FragmentProblem problem : problems) {
                findings.add(new LintFinding(changeSet.getId(), changeSet.getAuthor(), normalize(changeSet.getFilePath()), line,
                        SQL_IN_ATTRIBUTE, LintFinding.Severity.ERROR, change.attributeMessage(problem), problem.value()));
            }
            return;
        }
        ValidationErrors errors = change.validate(database);
        for (String error : errors.getErrorMessages()) {
            String rule = error.contains("runInTransaction") ? "concurrently-in-transaction" : "invalid-change";
            findings.add(new LintFinding(changeSet.getId(), changeSet.getAuthor(), normalize(changeSet.getFilePath()), line, rule,
                    LintFinding.Severity.ERROR, error, null));
        }
    }

    private static List<String> sqlOf(Change change, Database database, ChangeSet changeSet, int line, boolean isNew,
            List<LintFinding> findings) {
        List<String> sql = new ArrayList<>();
        try {
            for (SqlStatement statement : change.generateStatements(database)) {
                for (Sql generated : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
                    sql.add(modified(generated.toSql(), changeSet, database));
                }
            }
        } catch (RuntimeException e) {
            if (isNew) {
                findings.add(notJudged(changeSet, line, "zdm cannot generate this change's SQL offline (" + rootMessage(e)
                        + "); review it by hand"));
            }
        }
        return sql;
    }

    private static LintFinding finding(ChangeSet changeSet, int line, Finding finding, String allowUnsafe) {
        String message = finding.describe();
        LintFinding.Severity severity = LintFinding.Severity.ERROR;
        if (allowUnsafe != null) {
            severity = LintFinding.Severity.INFO;
            message = "allowed (allowUnsafe: " + allowUnsafe + "): " + message;
        }
        return new LintFinding(changeSet.getId(), changeSet.getAuthor(), normalize(changeSet.getFilePath()), line,
                finding.rule().id(), severity, message, finding.statement() == null ? null : finding.statement().strip());
    }

    /** The SQL as Liquibase would run it: the changeset's {@code <modifySql>} for PostgreSQL applied in order. */
    private static String modified(String sql, ChangeSet changeSet, Database database) {
        String result = sql;
        for (SqlVisitor visitor : changeSet.getSqlVisitors()) {
            if (visitor.getApplicableDbms() == null || visitor.getApplicableDbms().isEmpty()
                    || DatabaseList.definitionMatches(visitor.getApplicableDbms(), database, true)) {
                result = visitor.modifySql(result, database);
            }
        }
        return result;
    }

    private static LintFinding notJudged(ChangeSet changeSet, int line, String message) {
        return new LintFinding(changeSet.getId(), changeSet.getAuthor(), normalize(changeSet.getFilePath()), line, NOT_JUDGED,
                LintFinding.Severity.WARNING, message, null);
    }

    static String normalize(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        if (p.startsWith("classpath:")) {
            p = p.substring("classpath:".length());
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
