package dev.zdm.sampleentities;

import java.util.Map;

/** What a test does with one release's {@code File} entity, through that release's Spring Data repository. */
public interface EntityFiles {

    /** Saves a new file and returns its id. */
    long save(String checksum, long size);

    /** Every file's size by checksum, read through the entity. */
    Map<String, Long> sizesByChecksum();
}
