package dev.zdm.liquibase.change;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic names for the objects zdm creates, always within PostgreSQL's 63-byte identifier limit. */
public final class ZdmNames {

    static final int MAX_BYTES = 63;

    private ZdmNames() {
    }

    /**
     * Joins the parts with underscores; a name longer than 63 bytes keeps its first bytes and ends with
     * an 8-character hash of the whole, so two long names never collide by truncation.
     */
    public static String of(String... parts) {
        String name = String.join("_", parts);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256(bytes)).substring(0, 8);
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length();) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > MAX_BYTES - 9) {
                break;
            }
            prefix.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return prefix + "_" + hash;
    }

    /** Default shadow column of a column: {@code file_size} → {@code file_size_zdm}. */
    public static String shadowColumn(String column) {
        return of(column + dev.zdm.ZdmDefaults.SHADOW_SUFFIX);
    }

    /** The mirror trigger function for a table, source and target. */
    public static String mirrorFunction(String table, String source, String target) {
        return of("zdm_mirror", table, source, target);
    }

    public static String mirrorInsertTrigger(String table, String source, String target) {
        return of("zdm_mirror_ins", table, source, target);
    }

    public static String mirrorUpdateTrigger(String table, String source, String target) {
        return of("zdm_mirror_upd", table, source, target);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
