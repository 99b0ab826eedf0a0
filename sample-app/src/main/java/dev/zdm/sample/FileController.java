package dev.zdm.sample;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * File metadata: create, read, change the size. Until release 3 (the cutover) {@code file_size} is a 32-bit integer,
 * so a larger size is refused with 400; from release 3 on the entity reads and writes it as a long.
 */
@RestController
@RequestMapping("/files")
class FileController {

    private final JdbcTemplate jdbc;
    private final SampleProperties properties;

    FileController(JdbcTemplate jdbc, SampleProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The request body of create and update. */
    record FileRequest(String checksum, Long size) {
    }

    /** A file as the API shows it. */
    record FileResponse(long id, String checksum, long size) {
    }

    @PostMapping
    ResponseEntity<?> create(@RequestBody FileRequest request) {
        ResponseEntity<?> refusal = refuse(request.size());
        if (refusal != null) {
            return refusal;
        }
        Long id = jdbc.queryForObject("INSERT INTO file (checksum, file_size) VALUES (?, ?) RETURNING id", Long.class,
                request.checksum(), sizeParameter(request.size()));
        return ResponseEntity.status(HttpStatus.CREATED).body(read(id));
    }

    @GetMapping("/{id}")
    ResponseEntity<?> get(@PathVariable long id) {
        FileResponse file = read(id);
        return file == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(file);
    }

    @PutMapping("/{id}/size")
    ResponseEntity<?> updateSize(@PathVariable long id, @RequestBody FileRequest request) {
        ResponseEntity<?> refusal = refuse(request.size());
        if (refusal != null) {
            return refusal;
        }
        int updated = jdbc.update("UPDATE file SET file_size = ? WHERE id = ?", sizeParameter(request.size()), id);
        return updated == 0 ? ResponseEntity.notFound().build() : ResponseEntity.ok(read(id));
    }

    private FileResponse read(long id) {
        return jdbc.query("SELECT id, checksum, file_size FROM file WHERE id = ?", rs -> rs.next()
                ? new FileResponse(rs.getLong(1), rs.getString(2), bigint() ? rs.getLong(3) : rs.getInt(3)) : null, id);
    }

    /** Release 3 is the code change of the cutover: int → long. */
    private boolean bigint() {
        return properties.getRelease() >= 3;
    }

    private Object sizeParameter(Long size) {
        return bigint() ? (Object) size : (Object) size.intValue();
    }

    private ResponseEntity<?> refuse(Long size) {
        if (size == null || size < 0) {
            return ResponseEntity.badRequest().body(Map.of("error", "size must be 0 or more"));
        }
        if (!bigint() && size > Integer.MAX_VALUE) {
            return ResponseEntity.badRequest().body(Map.of("error", "file_size is a 32-bit integer until release 3 (the"
                    + " cutover to bigint); sizes above 2,147,483,647 bytes are refused"));
        }
        return null;
    }
}
