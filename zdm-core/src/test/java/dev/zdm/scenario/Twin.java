package dev.zdm.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle's table: the same schema and initial data as zdm's, no zdm at all. After the workload, every writer's
 * final rows are applied to it (the keys each writer ever owned deleted, its committed rows inserted; the twin's own
 * triggers run as they did on zdm's table), then it gets a plain ALTER.
 */
final class Twin {

    private final Scenario s;
    private final ScenarioSchema schema;

    Twin(Scenario s, ScenarioSchema schema) {
        this.s = s;
        this.schema = schema;
    }

    String table() {
        return s.twin();
    }

    void applyFinal(Connection connection, Set<String> touched, Map<String, RowValues> rows) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table() + " WHERE id = ?")) {
            for (String key : touched) {
                delete.setString(1, key);
                delete.addBatch();
            }
            delete.executeBatch();
            InitialData.insertRows(connection, s, table(), rows);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The plain ALTER (and what must go around it), in one transaction; the error PostgreSQL gives, or {@code null}. */
    SQLException alter(Connection connection, String newType, String using, boolean first) throws SQLException {
        List<String> sql = statements(newType, using, first);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
            connection.commit();
            return null;
        } catch (SQLException e) {
            connection.rollback();
            return e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    List<String> statements(String newType, String using, boolean first) {
        return schema.twinAlter(table(), newType, using == null ? null : using, first);
    }
}
