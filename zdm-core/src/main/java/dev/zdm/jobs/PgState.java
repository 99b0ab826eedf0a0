package dev.zdm.jobs;

import java.sql.SQLException;

/** The SQLStates the jobs react to, by name (PostgreSQL's "Appendix A. PostgreSQL Error Codes"). */
enum PgState {

    /** {@code 55P03} lock_not_available: {@code lock_timeout} ran out waiting for a lock. */
    LOCK_NOT_AVAILABLE("55P03"),

    /** {@code 57014} query_canceled: {@code statement_timeout} ran out (or the statement was cancelled). */
    QUERY_CANCELED("57014");

    /** Class {@code 22}, data exception: a value does not convert (22P02 bad text, 22001 too long, 22003 out of range...). */
    private static final String DATA_EXCEPTION_CLASS = "22";

    private final String code;

    PgState(String code) {
        this.code = code;
    }

    /** Whether {@code e} carries exactly {@code state}. */
    static boolean is(SQLException e, PgState state) {
        return state.code.equals(e.getSQLState());
    }

    /** Whether {@code e} is in class 23, integrity constraint violation: rows refuse a constraint (23514 check, 23503 key). */
    static boolean isIntegrityViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    /** Whether {@code e} is in class 22: the row's value, not the statement or the session, is at fault. */
    static boolean isDataException(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith(DATA_EXCEPTION_CLASS);
    }
}
