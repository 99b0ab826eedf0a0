package dev.zdm.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code file}, as release 2 (expand) and release 3 (cutover) declare it: {@code fileSize} is a {@code long},
 * and {@code columnDefinition = "int4"} lets Hibernate's start-up validation ({@code ddl-auto=validate}) accept the
 * column both before the cutover ({@code integer}, whose type name is {@code int4}) and after it ({@code bigint}, what
 * a {@code long} maps to). So a pod of either release comes up at every stage — before the cutover, after it, after a
 * revert — and reads every size. Release 1's {@code int fileSize} also passes validation on the {@code bigint} column
 * (Hibernate 7 accepts an int field on a wider column) but fails at the first read of a size above 2^31-1, which
 * release 3 writes; release 4 (contract) drops the {@code columnDefinition}. The README's runbook ("What each
 * release's entity says") shows all three; {@code FileEntityStagesTest} starts each one against each stage.
 *
 * <p>Writing a {@code long} into the {@code integer} column is safe: PostgreSQL converts it on assignment and refuses
 * a value that does not fit with {@code 22003 integer out of range}, nothing cut; {@link FileController} refuses such
 * sizes with 400 until release 3 anyway. {@code columnDefinition} is also what Hibernate would create the column as:
 * do not let it generate the schema ({@code ddl-auto=create}) from this entity.
 */
@Entity
@Table(name = "file")
public class File {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 32)
    private String checksum;

    @Column(name = "file_size", nullable = false, columnDefinition = "int4")
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

    public void setFileSize(long fileSize) {
        this.fileSize = fileSize;
    }
}
