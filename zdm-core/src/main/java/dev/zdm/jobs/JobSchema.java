package dev.zdm.jobs;

import dev.zdm.schema.ZdmSchema;
import java.sql.Connection;
import java.sql.SQLException;

/** zdm's job tables: part of {@link ZdmSchema}. */
final class JobSchema {

    private JobSchema() {
    }

    /** Creates or upgrades zdm's tables if needed, in the caller's transaction or on its own. */
    static void ensure(Connection connection) throws SQLException {
        ZdmSchema.ensure(connection);
    }
}
