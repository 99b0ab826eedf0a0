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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.exception.ValidationErrors;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * Lints a changelog with the guard's rules, knowing its whole history.
 *
 * <ol>
 *   <li>Parse the changelog with Liquibase's own parsers (XML, YAML, JSON, formatted SQL, includes).</li>
 *   <li>Replay every changeset, old and new, in order into a {@link SchemaModel}: Liquibase's changes through the SQL
 *       they generate for an offline PostgreSQL, zdm's changes by what they mean.</li>
 *   <li>Judge each statement of a new changeset with {@link TransactionJudge} (the changeset as one transaction) against the model as it stands just before
 *       it, knowing {@code runInTransaction}; zdm's changes are validated, not judged (safe by construction): first
 *       the attributes they write into SQL ({@code sql-in-attribute}: one type name, one expression, no {@code ;}, no
 *       comment ...), then the rest of their validation.</li>
 *   <li>Report with the changeset's file and line; {@code allowUnsafe} turns a finding into info with its reason.</li>
 * </ol>
 */
public final class Linter {

    /** The rule of an attribute of a zdm change that is not the one piece of SQL it must be (e.g. holds a ';'). */
    public static final String SQL_IN_ATTRIBUTE = "sql-in-attribute";

    /** Lints every changeset ({@code newChangeSets == null}) or only those whose {@link #key} is in the set. */
    public LintReport lint(Path root, String changeLogPath, Set<String> newChangeSets) {
        DatabaseChangeLog changeLog;
        Database database;
        try {
            DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root);
            database = DatabaseFactory.getInstance().openDatabase("offline:postgresql?version=16", null, null, null, accessor);
            changeLog = ChangeLogParserFactory.getInstance().getParser(changeLogPath, accessor)
                    .parse(changeLogPath, new ChangeLogParameters(database), accessor);
        } catch (Exception e) {
            throw new LintException("The changelog " + changeLogPath + " (under " + root + ") cannot be read: "
                    + rootMessage(e), e);
        }
        SchemaModel model = new SchemaModel();
        List<LintFinding> findings = new ArrayList<>();
        int judged = 0;
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            boolean isNew = newChangeSets == null || newChangeSets.contains(key(changeSet));
            if (isNew) {
                judged++;
            }
            String allowUnsafe = ZdmChangeExecListener.allowUnsafe(changeSet);
            int line = line(root, changeSet);
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
                for (String sql : sqlOf(change, database, changeSet, line, isNew, findings)) {
                    for (String statementSql : SqlLexer.splitStatements(sql)) {
                        ClassifiedStatement statement = StatementClassifier.classifyInMigration(statementSql);
                        List<Finding> verdict = judge.judge(statement);
                        if (isNew) {
                            for (Finding finding : verdict) {
                                findings.add(finding(changeSet, line, finding, allowUnsafe));
                            }
                        }
                        model.apply(statement, isNew);
                        model.noteRows(statementSql);
                    }
                }
            }
        }
        return new LintReport(List.copyOf(findings), judged, changeLog.getChangeSets().size());
    }

    /** Every changeset's key in a changelog: {@code file::id::author}. */
    public Set<String> keys(Path root, String changeLogPath) {
        try {
            DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root);
            Database database = DatabaseFactory.getInstance().openDatabase("offline:postgresql?version=16", null, null, null,
                    accessor);
            DatabaseChangeLog changeLog = ChangeLogParserFactory.getInstance().getParser(changeLogPath, accessor)
                    .parse(changeLogPath, new ChangeLogParameters(database), accessor);
            Set<String> keys = new LinkedHashSet<>();
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                keys.add(key(changeSet));
            }
            return keys;
        } catch (Exception e) {
            throw new LintException("The changelog " + changeLogPath + " (under " + root + ") cannot be read: "
                    + rootMessage(e), e);
        }
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
                    sql.add(generated.toSql());
                }
            }
        } catch (RuntimeException e) {
            if (isNew) {
                findings.add(new LintFinding(changeSet.getId(), changeSet.getAuthor(), normalize(changeSet.getFilePath()), line,
                        "not-judged", LintFinding.Severity.WARNING, "zdm cannot generate this change's SQL offline ("
                        + rootMessage(e) + "); review it by hand", null));
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

    /** The line of the changeset in its file: where its id is declared (1 when it cannot be found). */
    static int line(Path root, ChangeSet changeSet) {
        Path file = root.resolve(normalize(changeSet.getFilePath()));
        try {
            List<String> lines = Files.readAllLines(file);
            String id = changeSet.getId();
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i);
                if (text.contains("id=\"" + id + "\"") || text.contains("id='" + id + "'") || text.matches(".*\\bid:\\s*\"?"
                        + java.util.regex.Pattern.quote(id) + "\"?\\s*(,.*)?$") || text.contains("\"id\": \"" + id + "\"")
                        || text.contains("\"id\":\"" + id + "\"") || (text.startsWith("--changeset") && text.contains(":" + id))) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
        return 1;
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
