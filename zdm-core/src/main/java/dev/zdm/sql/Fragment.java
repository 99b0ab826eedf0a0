package dev.zdm.sql;

/**
 * What an attribute that zdm writes into its SQL must be. zdm splices these values into statements it builds
 * ({@code ADD COLUMN shadow <type>}, {@code CREATE INDEX ... WHERE <predicate>}, a trigger body {@code := <expression>}),
 * so each is checked to be exactly one piece of that kind before any statement runs: never a second statement, a
 * comment that hides the rest of zdm's statement, or a parenthesis that closes zdm's own.
 */
public enum Fragment {
    IDENTIFIER("one name (of a table, column, index, constraint or job): at most 63 bytes, no NUL, no ';' and no comment",
            "file_size"),
    TABLE("one table name, optionally schema-qualified", "public.file"),
    TYPE_NAME("one type name", "bigint, numeric(12,2), timestamp(3) with time zone, character varying(36), int[]"),
    EXPRESSION("one scalar SQL expression over the table's columns", "file_size::bigint"),
    PREDICATE("one boolean SQL expression over the table's columns", "file_size > 0"),
    INDEX_PREDICATE("one boolean SQL expression over the table's columns with only immutable functions and no subquery",
            "file_size IS NOT NULL AND file_size > 0"),
    INDEX_COLUMNS("a comma-separated list of index columns or expressions with only immutable functions",
            "checksum, lower(name) DESC"),
    COLUMN_LIST("a comma-separated list of column names", "owner_id, tenant_id"),
    INDEX_METHOD("the name of an index access method", "btree, hash, gin, gist, brin"),
    CONSTRAINT_DEFINITION("one constraint definition (CHECK, FOREIGN KEY, UNIQUE, PRIMARY KEY or EXCLUDE)",
            "CHECK (file_size IS NOT NULL)"),
    INDEX_STATEMENT("one CREATE [UNIQUE] INDEX CONCURRENTLY statement", "CREATE INDEX CONCURRENTLY i ON file (checksum)");

    private final String what;
    private final String example;

    Fragment(String what, String example) {
        this.what = what;
        this.example = example;
    }

    /** What a value must be, for messages. */
    public String what() {
        return what;
    }

    /** One or more valid values, for messages. */
    public String example() {
        return example;
    }
}
