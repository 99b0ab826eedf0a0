package dev.zdm.sql;

import dev.zdm.sql.AlterAction.ActionType;
import dev.zdm.sql.AlterAction.ConstraintType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses the actions of {@code ALTER TABLE} (the cursor stands just after {@code ALTER TABLE}). */
final class AlterTableParser {

    /** Words that end a column's type or a DEFAULT expression in a column definition. */
    private static final Set<String> COLUMN_STOP = Set.of("constraint", "not", "null", "default", "check", "unique",
            "primary", "references", "generated", "collate", "compression", "storage", "using", "deferrable",
            "initially");

    private AlterTableParser() {
    }

    static ClassifiedStatement parse(String sql, TokenCursor c) {
        c.accept("if", "exists");
        c.accept("only");
        TableName table = c.name();
        c.acceptSymbol("*");
        List<AlterAction> actions = new ArrayList<>();
        while (!c.atEnd()) {
            actions.addAll(action(c));
            c.skipPastComma();
        }
        LockLevel level = LockLevel.NONE;
        for (AlterAction action : actions) {
            level = level.max(action.lockLevel());
        }
        return new ClassifiedStatement(sql, StatementKind.ALTER_TABLE, table, null,
                actions.isEmpty() ? LockLevel.ACCESS_EXCLUSIVE : level, false, List.copyOf(actions), Set.of());
    }

    private static List<AlterAction> action(TokenCursor c) {
        if (c.accept("add")) {
            if (c.peekIs("constraint") || c.peekIs("check") || c.peekIs("unique") || c.peekIs("primary")
                    || c.peekIs("foreign") || c.peekIs("exclude")) {
                return List.of(constraint(c, null));
            }
            c.accept("column");
            c.accept("if", "not", "exists");
            return addColumn(c);
        }
        if (c.accept("drop")) {
            if (c.accept("constraint")) {
                c.accept("if", "exists");
                return List.of(named(ActionType.DROP_CONSTRAINT, null, c.identifier()));
            }
            c.accept("column");
            c.accept("if", "exists");
            return List.of(AlterAction.of(ActionType.DROP_COLUMN, c.identifier()));
        }
        if (c.accept("alter")) {
            c.accept("column");
            return List.of(alterColumn(c, c.identifier()));
        }
        if (c.accept("validate", "constraint")) {
            return List.of(named(ActionType.VALIDATE_CONSTRAINT, null, c.identifier()));
        }
        if (c.accept("rename")) {
            if (c.accept("to")) {
                return List.of(named(ActionType.RENAME_TABLE, null, c.identifier()));
            }
            if (c.accept("constraint")) {
                String from = c.identifier();
                c.accept("to");
                return List.of(named(ActionType.RENAME_CONSTRAINT, from, c.identifier()));
            }
            c.accept("column");
            String from = c.identifier();
            c.accept("to");
            return List.of(named(ActionType.RENAME_COLUMN, from, c.identifier()));
        }
        if (c.accept("set", "logged")) {
            return List.of(AlterAction.of(ActionType.SET_LOGGED, null));
        }
        if (c.accept("set", "unlogged")) {
            return List.of(AlterAction.of(ActionType.SET_UNLOGGED, null));
        }
        if (c.accept("set", "tablespace") || c.accept("set", "access", "method")) {
            return List.of(AlterAction.of(ActionType.SET_TABLESPACE, null));
        }
        if ((c.peekIs("set") || c.peekIs("reset")) && c.peek(1) != null && c.peek(1).isSymbol("(")) {
            return List.of(AlterAction.of(ActionType.SET_STORAGE_PARAMETERS, null));
        }
        if (c.peekIs("enable") || c.peekIs("disable")) {
            c.next();
            c.accept("always");
            c.accept("replica");
            return List.of(AlterAction.of(c.peekIs("trigger") ? ActionType.ENABLE_DISABLE_TRIGGER : ActionType.OTHER, null));
        }
        if (c.accept("attach", "partition")) {
            TableName partition = c.name();
            return List.of(new AlterAction(ActionType.ATTACH_PARTITION, null, null, null, ConstraintType.NONE, false, false,
                    false, null, null, partition, null));
        }
        if (c.accept("detach", "partition")) {
            c.name();
            return List.of(AlterAction.of(c.peekIs("concurrently") || c.peekIs("finalize")
                    ? ActionType.DETACH_PARTITION_CONCURRENTLY : ActionType.DETACH_PARTITION, null));
        }
        return List.of(AlterAction.of(ActionType.OTHER, null));
    }

    private static AlterAction alterColumn(TokenCursor c, String column) {
        c.accept("set", "data");
        if (c.accept("type")) {
            String type = c.until(COLUMN_STOP);
            TableName collation = c.accept("collate") ? c.name() : null;
            String using = c.accept("using") ? c.until(Set.of()) : null;
            return new AlterAction(ActionType.ALTER_COLUMN_TYPE, column, type, using, ConstraintType.NONE, false, false,
                    false, null, null, null, collation == null ? null : collation.name());
        }
        if (c.accept("set", "not", "null")) {
            return AlterAction.of(ActionType.SET_NOT_NULL, column);
        }
        if (c.accept("drop", "not", "null")) {
            return AlterAction.of(ActionType.DROP_NOT_NULL, column);
        }
        if (c.accept("set", "default")) {
            return new AlterAction(ActionType.SET_DEFAULT, column, null, c.until(Set.of()), ConstraintType.NONE, false,
                    false, false, null, null, null, null);
        }
        if (c.accept("drop", "default")) {
            return AlterAction.of(ActionType.DROP_DEFAULT, column);
        }
        if (c.accept("add", "generated")) {
            return AlterAction.of(ActionType.ADD_IDENTITY, column);
        }
        if (c.accept("set", "statistics") || ((c.peekIs("set") || c.peekIs("reset")) && c.peek(1) != null
                && c.peek(1).isSymbol("("))) {
            return AlterAction.of(ActionType.SET_STATISTICS, column);
        }
        return AlterAction.of(ActionType.OTHER, column);
    }

    /** ADD COLUMN: the column, then one ADD_CONSTRAINT action per inline CHECK, UNIQUE, PRIMARY KEY or REFERENCES. */
    private static List<AlterAction> addColumn(TokenCursor c) {
        String column = c.identifier();
        String type = c.until(COLUMN_STOP);
        String defaultExpression = null;
        String generated = null;
        boolean notNull = false;
        List<AlterAction> inline = new ArrayList<>();
        while (!c.atEnd() && !c.peekIsSymbol(",")) {
            if (c.accept("constraint")) {
                c.identifier();
            } else if (c.accept("not", "null")) {
                notNull = true;
            } else if (c.accept("null")) {
                notNull = false;
            } else if (c.accept("default")) {
                defaultExpression = c.expression();
            } else if (c.accept("generated")) {
                c.accept("always");
                c.accept("by", "default");
                c.accept("as");
                if (c.accept("identity")) {
                    c.group();
                    generated = "identity";
                } else {
                    c.group();
                    generated = c.accept("stored") ? "stored" : "virtual";
                    c.accept("virtual");
                }
            } else if (c.peekIs("check") || c.peekIs("unique") || c.peekIs("primary") || c.peekIs("references")) {
                inline.add(constraint(c, column));
            } else {
                c.next(); // COLLATE x, STORAGE x, COMPRESSION x, DEFERRABLE ...
            }
        }
        List<AlterAction> result = new ArrayList<>();
        result.add(new AlterAction(ActionType.ADD_COLUMN, column, type, defaultExpression, ConstraintType.NONE, false, false,
                notNull, generated, null, null, null));
        result.addAll(inline);
        return result;
    }

    /** ADD [CONSTRAINT name] CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY|EXCLUDE|NOT NULL ..., or an inline column constraint. */
    private static AlterAction constraint(TokenCursor c, String inlineColumn) {
        String name = c.accept("constraint") ? c.identifier() : null;
        ConstraintType type;
        String expression = null;
        TableName references = null;
        boolean usingIndex = false;
        String column = inlineColumn;
        if (c.accept("check")) {
            type = ConstraintType.CHECK;
            expression = c.group();
        } else if (c.peekIs("unique") || c.peekIs("primary")) {
            type = c.accept("unique") ? ConstraintType.UNIQUE : ConstraintType.PRIMARY_KEY;
            c.accept("primary", "key");
            c.accept("nulls", "not", "distinct");
            c.accept("nulls", "distinct");
            usingIndex = c.accept("using", "index");
            expression = usingIndex ? c.identifier() : c.group();
        } else if (c.accept("foreign", "key")) {
            type = ConstraintType.FOREIGN_KEY;
            expression = c.group();
            c.accept("references");
            references = c.name();
        } else if (c.accept("references")) {
            type = ConstraintType.FOREIGN_KEY;
            references = c.name();
        } else if (c.accept("exclude")) {
            type = ConstraintType.EXCLUDE;
        } else if (c.accept("not", "null")) {
            type = ConstraintType.NOT_NULL;
            column = c.identifier();
        } else {
            type = ConstraintType.NONE;
        }
        boolean notValid = false;
        int depth = 0;
        while (!c.atEnd() && (depth > 0 || !(c.peekIsSymbol(",") || (inlineColumn != null && (c.peekIs("not")
                && !(c.peek(1) != null && c.peek(1).is("valid")) || c.peekIs("default") || c.peekIs("check")
                || c.peekIs("unique") || c.peekIs("primary") || c.peekIs("references") || c.peekIs("constraint")))))) {
            Token t = c.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("not") && c.peekIs("valid")) {
                c.next();
                notValid = true;
            }
        }
        return new AlterAction(ActionType.ADD_CONSTRAINT, column, null, expression, type, notValid, usingIndex, false, null,
                name, references, null);
    }

    private static AlterAction named(ActionType type, String column, String name) {
        return new AlterAction(type, column, null, null, ConstraintType.NONE, false, false, false, null, name, null, null);
    }
}
