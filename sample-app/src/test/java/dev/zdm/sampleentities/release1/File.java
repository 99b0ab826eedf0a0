package dev.zdm.sampleentities.release1;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Release 1's entity: {@code file_size} is an {@code integer}, so the field is an {@code int}. */
@Entity
@Table(name = "file")
public class File {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 32)
    private String checksum;

    @Column(name = "file_size", nullable = false)
    private int fileSize;

    protected File() {
    }

    public File(String checksum, int fileSize) {
        this.checksum = checksum;
        this.fileSize = fileSize;
    }

    public Long getId() {
        return id;
    }

    public String getChecksum() {
        return checksum;
    }

    public int getFileSize() {
        return fileSize;
    }
}
