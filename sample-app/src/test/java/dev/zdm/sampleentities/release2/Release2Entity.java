package dev.zdm.sampleentities.release2;

import dev.zdm.sample.File;
import dev.zdm.sample.FileRepository;
import dev.zdm.sampleentities.EntityFiles;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * An application that has the entity of releases 2 and 3 — the sample's own {@link File} and {@link FileRepository} —
 * and nothing else of the sample.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EntityScan(basePackageClasses = File.class)
@EnableJpaRepositories(basePackageClasses = FileRepository.class)
public class Release2Entity {

    @Bean
    EntityFiles entityFiles(FileRepository files) {
        return new EntityFiles() {
            @Override
            public long save(String checksum, long size) {
                return files.save(new File(checksum, size)).getId();
            }

            @Override
            public Map<String, Long> sizesByChecksum() {
                return files.findAll().stream().collect(Collectors.toMap(File::getChecksum, File::getFileSize));
            }
        };
    }
}
