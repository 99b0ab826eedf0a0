package dev.zdm.sample;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data's repository of {@link File}. */
public interface FileRepository extends JpaRepository<File, Long> {
}
