package dev.zdm.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zdm.test.PostgresExtension;
import dev.zdm.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The jobs-* goals on a real PostgreSQL: the CD gate fails the build until jobs-run has completed the pipeline. */
@ExtendWith(PostgresExtension.class)
class JobsMojoTest {

    private final TestDatabase db;

    JobsMojoTest(TestDatabase db) {
        this.db = db;
    }

    private <T extends AbstractJobsMojo> T on(T mojo) {
        mojo.url = db.jdbcUrl();
        mojo.username = db.user();
        mojo.password = db.password();
        return mojo;
    }

    private JobsWaitMojo waitFor(String timeout) {
        JobsWaitMojo wait = on(new JobsWaitMojo());
        wait.ready = "file.file_size";
        wait.timeout = timeout;
        return wait;
    }

    @Test
    void theWaitGoalFailsTheBuildUntilTheRunGoalHasCompletedTheExpandPipeline() throws Exception {
        db.execute("DROP TABLE IF EXISTS file, zdm_job_reject, zdm_job_slice, zdm_job, zdm_column_change, zdm_mirror_reject,"
                        + " zdm_schema, databasechangelog, databasechangeloglock CASCADE",
                "CREATE TABLE file (id bigserial PRIMARY KEY, file_size integer NOT NULL DEFAULT 0)",
                "INSERT INTO file (file_size) SELECT g FROM generate_series(1, 5000) g");
        try (Connection connection = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new Liquibase("mojo/expand.yaml", new ClassLoaderResourceAccessor(), database).update("");
        }

        assertThatThrownBy(() -> waitFor("1s").execute()).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("the expand pipeline of file.file_size is not COMPLETED after 1s");
        assertThatThrownBy(() -> waitFor("whenever").execute()).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("--timeout takes a duration");

        assertThatCode(() -> on(new JobsRunMojo()).execute()).doesNotThrowAnyException();

        assertThatCode(() -> waitFor("10s").execute()).doesNotThrowAnyException();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM file WHERE file_size_zdm IS DISTINCT FROM file_size")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        JobsPauseMojo pause = on(new JobsPauseMojo());
        pause.job = "file.file_size_zdm";
        assertThatThrownBy(pause::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("cannot pause a completed job (file.file_size_zdm)");
    }
}
