package dev.zdm.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line of a changeset in its file, matched on both its id and its author, as each format writes them: a
 * {@code --changeset author:id} line in formatted SQL (any spacing after {@code --}), the {@code <changeSet>} tag in
 * XML (attributes in any order, over several lines), the {@code changeSet} block in YAML and JSON. 1 when not found.
 */
final class ChangeSetLines {

    private static final Pattern FORMATTED = Pattern.compile(
            "^\\s*--\\s*changeset\\s+(\"[^\"]*\"|[^:]+?):(\"[^\"]*\"|\\S+).*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern XML_TAG = Pattern.compile("<(?:\\w+:)?changeSet\\b([^>]*)>", Pattern.DOTALL);
    private static final Pattern STRUCTURED_KEY = Pattern.compile("[\"']?\\b(id|author)[\"']?\\s*:\\s*(\"[^\"]*\"|'[^']*'|[^,}#]+)");

    private final Path root;
    private final Map<String, List<String>> files = new HashMap<>();

    ChangeSetLines(Path root) {
        this.root = root;
    }

    int line(String file, String id, String author) {
        List<String> lines = files.computeIfAbsent(file, this::read);
        String lower = file.toLowerCase(Locale.ROOT);
        int line;
        if (lower.endsWith(".sql")) {
            line = formatted(lines, id, author);
        } else if (lower.endsWith(".xml")) {
            line = xml(lines, id, author);
        } else {
            line = structured(lines, id, author);
        }
        return Math.max(line, 1);
    }

    private List<String> read(String file) {
        try {
            return Files.readAllLines(root.resolve(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static int formatted(List<String> lines, String id, String author) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FORMATTED.matcher(lines.get(i));
            if (m.matches() && unquote(m.group(1)).equals(author) && unquote(m.group(2)).equals(id)) {
                return i + 1;
            }
        }
        return 1;
    }

    private static int xml(List<String> lines, String id, String author) {
        String text = String.join("\n", lines);
        Matcher tag = XML_TAG.matcher(text);
        while (tag.find()) {
            String attributes = tag.group(1);
            if (id.equals(attribute(attributes, "id")) && author.equals(attribute(attributes, "author"))) {
                return lineOf(text, tag.start(1) + idOffset(attributes));
            }
        }
        return 1;
    }

    private static int idOffset(String attributes) {
        Matcher m = Pattern.compile("(?<![\\w:-])id\\s*=").matcher(attributes);
        return m.find() ? m.start() : 0;
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("(?<![\\w:-])" + name + "\\s*=\\s*(\"([^\"]*)\"|'([^']*)')").matcher(attributes);
        if (!m.find()) {
            return name.equals("author") ? "" : null;
        }
        String value = m.group(2) != null ? m.group(2) : m.group(3);
        return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static int structured(List<String> lines, String id, String author) {
        int blockStart = -1;
        int idLine = -1;
        String blockId = null;
        String blockAuthor = "";
        for (int i = 0; i <= lines.size(); i++) {
            String text = i < lines.size() ? lines.get(i) : "changeSet";
            if (text.contains("changeSet")) {
                if (blockStart >= 0 && id.equals(blockId) && author.equals(blockAuthor)) {
                    return idLine + 1;
                }
                blockStart = i;
                blockId = null;
                blockAuthor = "";
                idLine = i;
            }
            Matcher m = STRUCTURED_KEY.matcher(text);
            while (blockStart >= 0 && m.find()) {
                if (m.group(1).equals("id") && blockId == null) {
                    blockId = unquote(m.group(2));
                    idLine = i;
                } else if (m.group(1).equals("author")) {
                    blockAuthor = unquote(m.group(2));
                }
            }
        }
        return 1;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
