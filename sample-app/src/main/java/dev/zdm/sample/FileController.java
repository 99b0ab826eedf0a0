package dev.zdm.sample;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * File metadata through the {@link File} entity: create, read, change the size. Until release 3 (the cutover)
 * {@code file_size} is a 32-bit integer, so a larger size is refused with 400; from release 3 on it is accepted.
 */
@RestController
@RequestMapping("/files")
class FileController {

    private final FileRepository files;
    private final SampleProperties properties;

    FileController(FileRepository files, SampleProperties properties) {
        this.files = files;
        this.properties = properties;
    }

    /** The request body of create and update. */
    record FileRequest(String checksum, Long size) {
    }

    /** A file as the API shows it. */
    record FileResponse(long id, String checksum, long size) {

        static FileResponse of(File file) {
            return new FileResponse(file.getId(), file.getChecksum(), file.getFileSize());
        }
    }

    @PostMapping
    ResponseEntity<?> create(@RequestBody FileRequest request) {
        ResponseEntity<?> refusal = refuse(request.size());
        if (refusal != null) {
            return refusal;
        }
        File file = files.save(new File(request.checksum(), request.size()));
        return ResponseEntity.status(HttpStatus.CREATED).body(FileResponse.of(file));
    }

    @GetMapping("/{id}")
    ResponseEntity<?> get(@PathVariable long id) {
        return files.findById(id).<ResponseEntity<?>>map(file -> ResponseEntity.ok(FileResponse.of(file)))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @PutMapping("/{id}/size")
    @Transactional
    ResponseEntity<?> updateSize(@PathVariable long id, @RequestBody FileRequest request) {
        ResponseEntity<?> refusal = refuse(request.size());
        if (refusal != null) {
            return refusal;
        }
        return files.findById(id).<ResponseEntity<?>>map(file -> {
            file.setFileSize(request.size());
            return ResponseEntity.ok(FileResponse.of(file));
        }).orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** Release 3 is the cutover: from then on file_size is a bigint and sizes above 2^31-1 are accepted. */
    private ResponseEntity<?> refuse(Long size) {
        if (size == null || size < 0) {
            return ResponseEntity.badRequest().body(Map.of("error", "size must be 0 or more"));
        }
        if (properties.getRelease() < 3 && size > Integer.MAX_VALUE) {
            return ResponseEntity.badRequest().body(Map.of("error", "file_size is a 32-bit integer until release 3 (the"
                    + " cutover to bigint); sizes above 2,147,483,647 bytes are refused"));
        }
        return null;
    }
}
