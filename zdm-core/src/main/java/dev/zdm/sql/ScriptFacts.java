package dev.zdm.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema as the statements judged so far in one transaction (or one SQL string) leave it, over what the
 * underlying facts knew before them: tables created, constraints dropped and added, column types, domains, and the
 * locks taken. Answers of the underlying facts that an earlier statement changed are corrected here.
 */
final class ScriptFacts implements SchemaFacts {

    private record Column(TableName table, String column) {
    }

    private final SchemaFacts base;
    private final List<TableName> created = new ArrayList<>();
    private final Map<TableName, LockLevel> locks = new HashMap<>();
    private final Map<TableName, Set<String>> droppedConstraints = new HashMap<>();
    private final Set<Column> provenNotNull = new HashSet<>();
    private final Map<String, Column> pendingNotNull = new HashMap<>();
    private final Map<Column, String> types = new HashMap<>();
    private final Map<String, Boolean> domains = new HashMap<>();
    /** Tables a DELETE without WHERE or a TRUNCATE emptied earlier in the script, with no write into them since. */
    private final List<TableName> emptied = new ArrayList<>();

    ScriptFacts(SchemaFacts base) {
        this.base = base;
    }

    /** Records what the statement did, after it was judged. */
    void apply(ClassifiedStatement statement) {
        TableName table = statement.table();
        switch (statement.kind()) {
            case CREATE_TABLE -> {
                if (table != null && !statement.has("AS")) {
                    created.add(table);
                }
            }
            case CREATE_DOMAIN -> {
                if (statement.objectName() != null) {
                    domains.put(statement.objectName(), statement.has("CONSTRAINED"));
                }
            }
            case ALTER_TABLE -> {
                for (AlterAction action : statement.actions()) {
                    alter(table, action);
                }
            }
            case DELETE -> {
                if (table != null && statement.sql() != null
                        && SqlLexer.tokenize(statement.sql()).stream().noneMatch(t -> t.is("where"))) {
                    emptied.add(table);
                }
            }
            case TRUNCATE -> emptied.addAll(statement.tables().isEmpty() && table != null ? List.of(table) : statement.tables());
            default -> {
            }
        }
        for (TableName each : statement.tables()) {
            lock(each, statement.lockLevel());
        }
    }

    /**
     * An INSERT, COPY, MERGE, ... may fill an emptied table again: a table {@code sql} names is no longer known to be
     * empty (the lint passes every statement here; the guard judges DDL, UPDATE and DELETE only, and PostgreSQL refuses
     * what that misses, e.g. a NOT NULL column added to a table filled again).
     */
    void noteRows(String sql) {
        if (emptied.isEmpty() || sql == null) {
            return;
        }
        List<Token> tokens = SqlLexer.tokenize(sql);
        emptied.removeIf(t -> tokens.stream().anyMatch(token -> token.isName() && token.identifier().equals(t.name())));
    }

    /** Forgets the locks: the statement's transaction ended (a non-transactional changeset). */
    void releaseLocks() {
        locks.clear();
    }

    private void alter(TableName table, AlterAction action) {
        if (table == null) {
            return;
        }
        lock(table, action.lockLevel());
        switch (action.type()) {
            case ADD_COLUMN -> types.put(new Column(table, action.column()), action.dataType() == null ? "unknown" : action.dataType());
            case ALTER_COLUMN_TYPE -> types.put(new Column(table, action.column()), action.dataType());
            case DROP_CONSTRAINT -> droppedConstraints.computeIfAbsent(key(table), k -> new HashSet<>()).add(action.newName());
            case ADD_CONSTRAINT -> {
                if (action.references() != null) {
                    lock(action.references(), LockLevel.SHARE_ROW_EXCLUSIVE);
                }
                for (String column : NotNullProof.columns(action.expression())) {
                    if (action.notValid() && action.newName() != null) {
                        pendingNotNull.put(action.newName(), new Column(key(table), column));
                    } else if (!action.notValid()) {
                        provenNotNull.add(new Column(key(table), column));
                    }
                }
            }
            case VALIDATE_CONSTRAINT -> {
                Column proven = pendingNotNull.remove(action.newName());
                if (proven != null) {
                    provenNotNull.add(proven);
                }
            }
            default -> {
            }
        }
    }

    private void lock(TableName table, LockLevel level) {
        locks.merge(key(table), level, LockLevel::max);
    }

    private static TableName key(TableName table) {
        return new TableName(null, table.name());
    }

    private boolean createdHere(TableName table) {
        return created.stream().anyMatch(c -> c.matches(table));
    }

    @Override
    public Optional<Boolean> isEmpty(TableName table) {
        if (emptied.stream().anyMatch(e -> e.matches(table))) {
            return Optional.of(true); // a DELETE without WHERE or a TRUNCATE before it in this script
        }
        Optional<Boolean> known = base.isEmpty(table); // the lint's model already knows of rows written since
        return known.isEmpty() && createdHere(table) ? Optional.of(true) : known;
    }

    @Override
    public boolean createdInThisRun(TableName table) {
        return createdHere(table) || base.createdInThisRun(table);
    }

    @Override
    public boolean isPartitioned(TableName table) {
        return base.isPartitioned(table);
    }

    @Override
    public Optional<String> columnType(TableName table, String column) {
        String type = types.get(new Column(table, column));
        return type != null ? Optional.of(type) : base.columnType(table, column);
    }

    @Override
    public boolean hasValidatedNotNullCheck(TableName table, String column) {
        if (provenNotNull.contains(new Column(key(table), column))) {
            return true;
        }
        if (!base.hasValidatedNotNullCheck(table, column)) {
            return false;
        }
        Set<String> dropped = droppedConstraints.getOrDefault(key(table), Set.of());
        if (dropped.isEmpty()) {
            return true;
        }
        Set<String> names = base.notNullCheckNames(table, column);
        return !names.isEmpty() && names.stream().anyMatch(name -> !dropped.contains(name));
    }

    @Override
    public Set<String> notNullCheckNames(TableName table, String column) {
        return base.notNullCheckNames(table, column);
    }

    @Override
    public boolean hasCheckConstraintOn(TableName table, String column) {
        return base.hasCheckConstraintOn(table, column);
    }

    @Override
    public boolean hasValidatedCheckOn(TableName table, String column) {
        return base.hasValidatedCheckOn(table, column) && droppedConstraints.getOrDefault(key(table), Set.of()).isEmpty();
    }

    @Override
    public boolean hasExpressionIndexOn(TableName table, String column) {
        return base.hasExpressionIndexOn(table, column);
    }

    @Override
    public Optional<Boolean> isVolatileFunction(String name) {
        return base.isVolatileFunction(name);
    }

    @Override
    public LockLevel heldLock(TableName table) {
        return locks.getOrDefault(key(table), LockLevel.NONE).max(base.heldLock(table));
    }

    @Override
    public Optional<String> columnCollation(TableName table, String column) {
        return types.containsKey(new Column(table, column)) ? Optional.empty() : base.columnCollation(table, column);
    }

    @Override
    public Optional<Boolean> isNullable(TableName table, String column) {
        return base.isNullable(table, column);
    }

    @Override
    public Optional<List<String>> indexColumns(String index) {
        return base.indexColumns(index);
    }

    @Override
    public Optional<TableName> indexTable(String index) {
        return base.indexTable(index);
    }

    @Override
    public Optional<Boolean> domainHasConstraints(String type) {
        Boolean here = domains.get(type);
        return here != null ? Optional.of(here) : base.domainHasConstraints(type);
    }

    @Override
    public Optional<Boolean> domainInUse(String domain) {
        return domains.containsKey(domain) ? Optional.of(false) : base.domainInUse(domain);
    }

    @Override
    public Optional<List<String>> partitionKey(TableName table) {
        return base.partitionKey(table);
    }
}
