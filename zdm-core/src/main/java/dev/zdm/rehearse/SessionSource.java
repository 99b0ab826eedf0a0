package dev.zdm.rehearse;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens sessions to one rehearsal database. */
@FunctionalInterface
interface SessionSource {
    Connection open() throws SQLException;
}
