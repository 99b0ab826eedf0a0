package dev.zdm.lint;

import dev.zdm.sql.AlterAction;
import dev.zdm.sql.ClassifiedStatement;
import dev.zdm.sql.CreateTableParser;
import dev.zdm.sql.NotNullProof;
import dev.zdm.sql.SchemaFacts;
import dev.zdm.sql.SqlLexer;
import dev.zdm.sql.StatementKind;
import dev.zdm.sql.TableName;
import dev.zdm.sql.Token;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema as the changelog builds it, replayed offline statement by statement: tables, columns and types,
 * CHECK constraints (and which prove NOT NULL once validated), expression indexes, and which tables new changesets
 * created (and whether anything filled them). Tables created by old changesets are assumed to hold data.
 */
final class SchemaModel implements SchemaFacts {

    private static final class Table {
        final Map<String, String> columns = new LinkedHashMap<>();
        final Set<String> checkColumns = new HashSet<>();
        final Set<String> validatedNotNull = new HashSet<>();
        final Map<String, String> notNullProofNames = new HashMap<>(); // validated constraint name -> column
        final Set<String> validatedCheckColumns = new HashSet<>();
        final Set<String> notNull = new HashSet<>();
        final Map<String, String> collations = new HashMap<>();
        final List<String> partitionKey = new java.util.ArrayList<>();
        final Map<String, String> pendingNotNull = new HashMap<>(); // constraint name -> column, NOT VALID so far
        final Set<String> expressionIndexColumns = new HashSet<>();
        boolean createdByNew;
        boolean hasRows;
        boolean partitioned;
        boolean temporary;
    }

    private final Map<String, Table> tables = new HashMap<>();
    /** Temporary tables of the changeset being replayed: only its session sees them, so no lock on them blocks anyone. */
    private final Map<String, Table> temporaryTables = new HashMap<>();
    private final Map<String, List<String>> indexColumns = new HashMap<>();
    private final Map<String, TableName> indexTables = new HashMap<>();
    private final Map<String, Boolean> domains = new HashMap<>();

    /** Applies one statement of a changeset ({@code isNew}: the changeset is being judged). */
    void apply(ClassifiedStatement statement, boolean isNew) {
        if (statement.kind() == StatementKind.NOT_DDL) {
            return;
        }
        TableName name = statement.table();
        switch (statement.kind()) {
            case CREATE_TABLE -> {
                if (name == null || ifNotExists(statement.sql()) && table(name) != null) {
                    return; // CREATE TABLE IF NOT EXISTS of a table that exists does nothing
                }
                Table table = new Table();
                CreateTableParser.Table parsed = CreateTableParser.parse(statement.sql());
                parsed.columns().forEach((column, type) -> table.columns.put(column, type));
                for (String check : parsed.checks()) {
                    noteCheck(table, null, check, true);
                }
                table.notNull.addAll(parsed.notNull());
                table.collations.putAll(parsed.collations());
                table.createdByNew = isNew;
                table.hasRows = !isNew || statement.has("AS");
                table.partitioned = statement.sql().toLowerCase(Locale.ROOT).contains("partition by");
                if (table.partitioned) {
                    table.partitionKey.addAll(partitionKey(statement.sql()));
                }
                table.temporary = statement.has("TEMP");
                (table.temporary ? temporaryTables : tables).put(key(name), table);
            }
            case DROP_TABLE -> statement.tables().forEach(dropped -> {
                if (temporaryTables.remove(key(dropped)) == null) {
                    tables.remove(key(dropped));
                }
            });
            case CREATE_DOMAIN -> {
                if (statement.objectName() != null) {
                    domains.put(statement.objectName(), statement.has("CONSTRAINED"));
                }
            }
            case CREATE_INDEX -> {
                Table table = table(name);
                String sql = statement.sql();
                int open = sql.indexOf('(');
                if (statement.objectName() != null && name != null) {
                    indexTables.put(statement.objectName(), name);
                    indexColumns.put(statement.objectName(), simpleColumns(sql));
                }
                if (table != null && open >= 0) {
                    String columns = sql.substring(open);
                    boolean expression = columns.substring(1).contains("(") || sql.toLowerCase(Locale.ROOT).contains(" where ");
                    if (expression) {
                        for (String column : table.columns.keySet()) {
                            if (mentions(columns, column)) {
                                table.expressionIndexColumns.add(column);
                            }
                        }
                    }
                }
            }
            case ALTER_TABLE -> {
                Table table = table(name);
                if (table == null) {
                    return;
                }
                for (AlterAction action : statement.actions()) {
                    alter(table, name, action);
                }
            }
            default -> {
            }
        }
    }

    /** An INSERT (or COPY) into a table, schema-qualified or not, makes it a table with rows. */
    void noteRows(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        if (tokens.size() > 2 && (tokens.get(0).is("insert") && tokens.get(1).is("into") || tokens.get(0).is("copy"))) {
            int at = tokens.get(0).is("copy") ? 1 : 2;
            while (at + 2 < tokens.size() && tokens.get(at + 1).isSymbol(".") && tokens.get(at + 2).isName()) {
                at += 2; // schema.table: the model knows tables by name
            }
            Table table = table(new TableName(null, tokens.get(at).identifier()));
            if (table != null) {
                table.hasRows = true;
            }
        }
    }

    /** The changeset ended: its temporary tables are gone (ON COMMIT DROP, or at the latest with its session). */
    void endChangeSet() {
        temporaryTables.clear();
    }

    private static boolean ifNotExists(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        for (int i = 0; i + 2 < tokens.size() && i < 8; i++) {
            if (tokens.get(i).is("if") && tokens.get(i + 1).is("not") && tokens.get(i + 2).is("exists")) {
                return true;
            }
        }
        return false;
    }

    /** zdm's addShadowColumn, understood rather than replayed. */
    void addColumn(String table, String column, String type) {
        Table t = tables.get(table.toLowerCase(Locale.ROOT));
        if (t != null) {
            t.columns.put(column, type);
        }
    }

    private void alter(Table table, TableName name, AlterAction action) {
        switch (action.type()) {
            case ADD_COLUMN -> {
                table.columns.put(action.column(), action.dataType() == null ? "unknown" : action.dataType());
                if (action.notNull()) {
                    table.notNull.add(action.column());
                }
            }
            case DROP_COLUMN -> table.columns.remove(action.column());
            case SET_NOT_NULL -> table.notNull.add(action.column());
            case DROP_NOT_NULL -> table.notNull.remove(action.column());
            case DROP_CONSTRAINT -> {
                String column = table.notNullProofNames.remove(action.newName());
                if (column != null && !table.notNullProofNames.containsValue(column)) {
                    table.validatedNotNull.remove(column);
                }
                table.validatedCheckColumns.clear(); // which columns the dropped one used is not known: fail closed
            }
            case ALTER_COLUMN_TYPE -> {
                table.columns.put(action.column(), action.dataType());
                table.collations.remove(action.column());
                if (action.collation() != null) {
                    table.collations.put(action.column(), action.collation());
                }
            }
            case RENAME_COLUMN -> {
                String type = table.columns.remove(action.column());
                table.columns.put(action.newName(), type);
            }
            case RENAME_TABLE -> {
                tables.remove(key(name));
                tables.put(action.newName(), table);
            }
            case ADD_CONSTRAINT -> {
                if (action.constraint() == AlterAction.ConstraintType.CHECK && action.expression() != null) {
                    String notNullColumn = noteCheck(table, action.newName(), action.expression(), !action.notValid());
                    if (notNullColumn != null && action.notValid() && action.newName() != null) {
                        table.pendingNotNull.put(action.newName(), notNullColumn);
                    } else if (notNullColumn != null && action.newName() != null) {
                        table.notNullProofNames.put(action.newName(), notNullColumn);
                    }
                }
            }
            case VALIDATE_CONSTRAINT -> {
                String column = table.pendingNotNull.remove(action.newName());
                if (column != null) {
                    table.validatedNotNull.add(column);
                    table.notNullProofNames.put(action.newName(), column);
                    table.validatedCheckColumns.add(column);
                }
            }
            default -> {
            }
        }
    }

    /** Records a CHECK; returns the column it proves NOT NULL ({@code col IS NOT NULL [AND ...]}), if any. */
    private static String noteCheck(Table table, String name, String expression, boolean validated) {
        for (String column : table.columns.keySet()) {
            if (mentions(expression, column)) {
                table.checkColumns.add(column);
                if (validated) {
                    table.validatedCheckColumns.add(column);
                }
            }
        }
        List<String> proven = NotNullProof.columns(expression);
        if (proven.isEmpty()) {
            return null;
        }
        if (validated) {
            table.validatedNotNull.addAll(proven);
        }
        return proven.get(0);
    }

    /** The plain column names of CREATE INDEX ... (a, b): the partition key of PARTITION BY RANGE (a) too. */
    private static List<String> simpleColumns(String sql) {
        List<String> columns = new java.util.ArrayList<>();
        List<Token> tokens = SqlLexer.tokenize(sql);
        int open = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol("(")) {
                open = i;
                break;
            }
        }
        for (int i = open + 1; open >= 0 && i < tokens.size() && !tokens.get(i).isSymbol(")"); i++) {
            Token t = tokens.get(i);
            if (t.isName() && (tokens.get(i - 1).isSymbol("(") || tokens.get(i - 1).isSymbol(","))) {
                columns.add(t.identifier());
            }
        }
        return columns;
    }

    private static List<String> partitionKey(String sql) {
        int at = sql.toLowerCase(Locale.ROOT).lastIndexOf("partition by");
        return simpleColumns(sql.substring(at));
    }

    private static boolean mentions(String text, String column) {
        for (Token token : SqlLexer.tokenize(text)) {
            if (token.isName() && token.identifier().equals(column)) {
                return true;
            }
        }
        return false;
    }

    private Table table(TableName name) {
        if (name == null) {
            return null;
        }
        Table temporary = temporaryTables.get(key(name));
        return temporary != null ? temporary : tables.get(key(name));
    }

    private static String key(TableName name) {
        return name.name();
    }

    @Override
    public Optional<Boolean> isEmpty(TableName name) {
        Table table = table(name);
        return table == null ? Optional.empty() : Optional.of(table.temporary || !table.hasRows);
    }

    @Override
    public boolean createdInThisRun(TableName name) {
        Table table = table(name);
        return table != null && (table.createdByNew || table.temporary);
    }

    @Override
    public boolean isPartitioned(TableName name) {
        Table table = table(name);
        return table != null && table.partitioned;
    }

    @Override
    public Optional<String> columnType(TableName name, String column) {
        Table table = table(name);
        return table == null ? Optional.empty() : Optional.ofNullable(table.columns.get(column));
    }

    @Override
    public boolean hasValidatedNotNullCheck(TableName name, String column) {
        Table table = table(name);
        return table != null && table.validatedNotNull.contains(column);
    }

    @Override
    public boolean hasCheckConstraintOn(TableName name, String column) {
        Table table = table(name);
        return table != null && table.checkColumns.contains(column);
    }

    @Override
    public boolean hasExpressionIndexOn(TableName name, String column) {
        Table table = table(name);
        return table != null && table.expressionIndexColumns.contains(column);
    }

    @Override
    public Set<String> notNullCheckNames(TableName name, String column) {
        Table table = table(name);
        Set<String> names = new HashSet<>();
        if (table != null) {
            table.notNullProofNames.forEach((constraint, proven) -> {
                if (proven.equals(column)) {
                    names.add(constraint);
                }
            });
        }
        return names;
    }

    @Override
    public boolean hasValidatedCheckOn(TableName name, String column) {
        Table table = table(name);
        return table != null && table.validatedCheckColumns.contains(column);
    }

    @Override
    public Optional<Boolean> isNullable(TableName name, String column) {
        Table table = table(name);
        return table == null || !table.columns.containsKey(column) ? Optional.empty()
                : Optional.of(!table.notNull.contains(column));
    }

    @Override
    public Optional<List<String>> indexColumns(String index) {
        List<String> columns = indexColumns.get(index);
        return columns == null || columns.isEmpty() ? Optional.empty() : Optional.of(columns);
    }

    @Override
    public Optional<TableName> indexTable(String index) {
        return Optional.ofNullable(indexTables.get(index));
    }

    @Override
    public Optional<Boolean> domainHasConstraints(String type) {
        return Optional.ofNullable(domains.get(type));
    }

    @Override
    public Optional<Boolean> domainInUse(String domain) {
        if (!domains.containsKey(domain)) {
            return Optional.empty();
        }
        for (Table table : tables.values()) {
            if (table.hasRows && table.columns.values().stream().anyMatch(type -> type.strip().equalsIgnoreCase(domain))) {
                return Optional.of(true);
            }
        }
        return Optional.of(false);
    }

    @Override
    public Optional<List<String>> partitionKey(TableName name) {
        Table table = table(name);
        return table == null || table.partitionKey.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(table.partitionKey));
    }

    @Override
    public Optional<String> columnCollation(TableName name, String column) {
        Table table = table(name);
        if (table == null || !table.columns.containsKey(column)) {
            return Optional.empty();
        }
        return Optional.of(table.collations.getOrDefault(column, "default"));
    }
}
