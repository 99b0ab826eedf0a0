package dev.zdm.sql;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Classifies {@code CREATE DOMAIN} (flag {@code CONSTRAINED} when it has a CHECK or NOT NULL: a column of it is
 * checked row by row) and {@code ALTER DOMAIN} (flag {@code ADD_CONSTRAINT} when it adds a CHECK or NOT NULL, which
 * scans every column of the domain; {@code NOT_VALID} when it says so).
 */
final class DomainStatements {

    private DomainStatements() {
    }

    /** The cursor stands after CREATE DOMAIN. */
    static ClassifiedStatement create(String sql, TokenCursor c) {
        TableName name = c.name();
        Set<String> flags = new HashSet<>();
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.is("check") || t.is("not") && c.peekIs("null")) {
                flags.add("CONSTRAINED");
            }
        }
        return new ClassifiedStatement(sql, StatementKind.CREATE_DOMAIN, null, name == null ? null : name.name(),
                LockLevel.NONE, false, List.of(), flags);
    }

    /** The cursor stands after ALTER DOMAIN. */
    static ClassifiedStatement alter(String sql, TokenCursor c) {
        TableName name = c.name();
        Set<String> flags = new HashSet<>();
        if (c.accept("add") || c.accept("set", "not", "null")) {
            flags.add("ADD_CONSTRAINT");
        }
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("not") && c.peekIs("valid")) {
                flags.add("NOT_VALID");
            }
        }
        return new ClassifiedStatement(sql, StatementKind.ALTER_DOMAIN, null, name == null ? null : name.name(),
                LockLevel.SHARE, false, List.of(), flags);
    }
}
