package dev.zdm.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes changelogs for lint tests: an old history (tables with data) plus one new changeset in a chosen format. */
final class LintCorpus {

    static final String HISTORY = """
            --liquibase formatted sql

            --changeset base:1
            CREATE TABLE file (id bigserial PRIMARY KEY, checksum varchar(32) NOT NULL, file_size integer NOT NULL DEFAULT 0,
              name text, code varchar(20), price numeric(10,2), checked varchar(10) CHECK (length(checked) > 0),
              validated int, owner_id bigint);
            --changeset base:2
            CREATE TABLE owner (id bigint PRIMARY KEY);
            --changeset base:3
            CREATE MATERIALIZED VIEW mv AS SELECT id FROM file;
            --changeset base:4
            ALTER TABLE file ADD CONSTRAINT file_validated_nn CHECK (validated IS NOT NULL) NOT VALID;
            --changeset base:5
            ALTER TABLE file VALIDATE CONSTRAINT file_validated_nn;
            --changeset base:6
            CREATE TABLE parted (id int, created date) PARTITION BY RANGE (created);
            --changeset base:7
            CREATE UNIQUE INDEX file_checksum_idx ON file (checksum);
            """;

    private LintCorpus() {
    }

    /** A master changelog including the history and then {@code newFile}. */
    static Path write(Path dir, String newFile, String content) {
        try {
            Files.writeString(dir.resolve("history.sql"), HISTORY);
            Files.writeString(dir.resolve(newFile), content);
            Files.writeString(dir.resolve("master.yaml"), "databaseChangeLog:\n  - include: { file: history.sql }\n"
                    + "  - include: { file: " + newFile + " }\n");
            return dir.resolve("master.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String xml(String id, boolean inTransaction, String sql, String attributes) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:zdm="http://zdm.dev/xml/ns/zdm"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd
                        http://zdm.dev/xml/ns/zdm http://zdm.dev/xml/ns/zdm/zdm-1.0.xsd">
                  <changeSet id="%s" author="dev" runInTransaction="%s"%s>
                %s
                  </changeSet>
                </databaseChangeLog>
                """.formatted(id, inTransaction, attributes == null ? "" : " " + attributes,
                sql.startsWith("<") ? "    " + sql : "    <sql><![CDATA[" + sql + "]]></sql>");
    }

    static String yaml(String id, boolean inTransaction, String sql) {
        return "databaseChangeLog:\n  - changeSet:\n      id: " + id + "\n      author: dev\n      runInTransaction: "
                + inTransaction + "\n      changes:\n        - sql:\n            sql: |\n"
                + sql.lines().map(l -> "              " + l).reduce((a, b) -> a + "\n" + b).orElse("") + "\n";
    }

    static String formattedSql(String id, boolean inTransaction, String sql) {
        return "--liquibase formatted sql\n\n--changeset dev:" + id + " runInTransaction:" + inTransaction + "\n" + sql + ";\n";
    }

    static List<String> formats() {
        return List.of("xml", "yaml", "sql");
    }

    static String changelog(String format, String id, boolean inTransaction, String sql) {
        return switch (format) {
            case "xml" -> xml(id, inTransaction, sql, null);
            case "yaml" -> yaml(id, inTransaction, sql);
            default -> formattedSql(id, inTransaction, sql);
        };
    }
}
