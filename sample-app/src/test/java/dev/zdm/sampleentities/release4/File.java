package dev.zdm.sampleentities.release4;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Release 4's entity (after the contract): {@code file_size} is a {@code bigint} for good, so a plain {@code long}. */
@Entity
@Table(name = "file")
public class File {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 32)
    private String checksum;

    @Column(name = "file_size", nullable = false)
    private long fileSize;

    protected File() {
    }

    public File(String checksum, long fileSize) {
        this.checksum = checksum;
        this.fileSize = fileSize;
    }

    public Long getId() {
        return id;
    }

    public String getChecksum() {
        return checksum;
    }

    public long getFileSize() {
        return fileSize;
    }
}
