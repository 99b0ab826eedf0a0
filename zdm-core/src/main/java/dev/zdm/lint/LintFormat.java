package dev.zdm.lint;

import dev.zdm.sql.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lint's output formats: {@code text}, {@code json}, {@code github} (workflow annotations) and {@code sarif}. */
public enum LintFormat {
    TEXT, JSON, GITHUB, SARIF;

    /** Parses a format name. */
    public static LintFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LintException("--format must be text, json, github or sarif, not '" + name + "'");
        }
    }

    public String render(LintReport report) {
        return switch (this) {
            case TEXT -> text(report);
            case JSON -> json(report);
            case GITHUB -> github(report);
            case SARIF -> sarif(report);
        };
    }

    /**
     * Like a compiler's output: one line per finding ({@code file:line: severity: rule: changeset id by author: problem}),
     * then the fix and the statement indented below it; a statement with several findings is shown once, after the last.
     */
    private static String text(LintReport report) {
        StringBuilder out = new StringBuilder();
        List<LintFinding> findings = report.findings();
        for (int i = 0; i < findings.size(); i++) {
            LintFinding f = findings.get(i);
            out.append(f.file()).append(':').append(f.line()).append(": ").append(f.severity().id()).append(": ")
                    .append(f.rule()).append(": changeset ").append(f.changeSet());
            if (f.author() != null && !f.author().isBlank()) {
                out.append(" by ").append(f.author());
            }
            out.append(": ").append(f.problem()).append('\n');
            if (f.fix() != null) {
                out.append("    fix: ").append(f.fix()).append('\n');
            }
            boolean sameStatementNext = i + 1 < findings.size() && f.sql() != null && sameChangeSet(f, findings.get(i + 1))
                    && f.sql().equals(findings.get(i + 1).sql());
            if (f.sql() != null && !sameStatementNext) {
                out.append("    sql: ").append(shorten(f.sql().replaceAll("\\s+", " "))).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean sameChangeSet(LintFinding a, LintFinding b) {
        return a.file().equals(b.file()) && a.changeSet().equals(b.changeSet()) && java.util.Objects.equals(a.author(), b.author());
    }

    private static String shorten(String sql) {
        return sql.length() <= 240 ? sql : sql.substring(0, 237) + "...";
    }

    private static String json(LintReport report) {
        StringBuilder out = new StringBuilder("{\"findings\":[");
        for (int i = 0; i < report.findings().size(); i++) {
            LintFinding f = report.findings().get(i);
            out.append(i == 0 ? "" : ",").append("{\"changeSet\":").append(Json.string(f.changeSet())).append(",\"author\":")
                    .append(Json.string(f.author())).append(",\"file\":").append(Json.string(f.file())).append(",\"line\":")
                    .append(f.line()).append(",\"rule\":").append(Json.string(f.rule())).append(",\"severity\":")
                    .append(Json.string(f.severity().id())).append(",\"message\":").append(Json.string(f.message()))
                    .append(",\"sql\":").append(Json.string(f.sql())).append('}');
        }
        return out.append("]}\n").toString();
    }

    private static String github(LintReport report) {
        StringBuilder out = new StringBuilder();
        for (LintFinding f : report.findings()) {
            String level = switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "notice";
            };
            out.append("::").append(level).append(" file=").append(escapeProperty(f.file())).append(",line=").append(f.line())
                    .append(",title=").append(escapeProperty("zdm " + f.rule())).append("::")
                    .append(escapeData("changeset " + f.changeSet() + ": " + f.message())).append('\n');
        }
        return out.toString();
    }

    private static String sarif(LintReport report) {
        Map<String, String[]> rules = new LinkedHashMap<>();
        for (LintFinding f : report.findings()) {
            String[] description;
            try {
                Rule rule = Rule.byId(f.rule());
                description = new String[] { rule.problem(), rule.fix() };
            } catch (IllegalArgumentException e) {
                description = new String[] { f.rule(), "See the message." };
            }
            rules.putIfAbsent(f.rule(), description);
        }
        StringBuilder out = new StringBuilder("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"zdm\","
                + "\"rules\":[");
        int i = 0;
        for (Map.Entry<String, String[]> rule : rules.entrySet()) {
            out.append(i++ == 0 ? "" : ",").append("{\"id\":").append(Json.string(rule.getKey()))
                    .append(",\"shortDescription\":{\"text\":").append(Json.string(rule.getValue()[0]))
                    .append("},\"help\":{\"text\":").append(Json.string(rule.getValue()[1])).append("}}");
        }
        out.append("]}},\"results\":[");
        for (int j = 0; j < report.findings().size(); j++) {
            LintFinding f = report.findings().get(j);
            String level = switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "note";
            };
            out.append(j == 0 ? "" : ",").append("{\"ruleId\":").append(Json.string(f.rule())).append(",\"level\":\"")
                    .append(level).append("\",\"message\":{\"text\":").append(Json.string("changeset " + f.changeSet() + ": "
                            + f.message())).append("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":")
                    .append(Json.string(f.file())).append("},\"region\":{\"startLine\":").append(f.line()).append("}}}]}");
        }
        return out.append("]}]}\n").toString();
    }

    private static String escapeData(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String escapeProperty(String text) {
        return escapeData(text).replace(":", "%3A").replace(",", "%2C");
    }

    /** Just enough JSON writing for the reports (the lint's and the rehearsal's). */
    public static final class Json {
        private Json() {
        }

        public static String string(String text) {
            if (text == null) {
                return "null";
            }
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
