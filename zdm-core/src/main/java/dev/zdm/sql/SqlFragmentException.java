package dev.zdm.sql;

import dev.zdm.ZdmException;

/** An attribute given to zdm's Java API is not the one piece of SQL it must be; thrown before any statement ran. */
public class SqlFragmentException extends ZdmException {

    private static final long serialVersionUID = 1L;

    private final transient FragmentProblem problem;

    public SqlFragmentException(String context, FragmentProblem problem) {
        super("zdm: " + context + ": " + problem.describe() + ". Nothing was run.");
        this.problem = problem;
    }

    /** The attribute, its value, what it must be and what is wrong. */
    public FragmentProblem problem() {
        return problem;
    }
}
