package dev.zdm.jobs;

import dev.zdm.ZdmException;
import java.util.Locale;

/** An action that the job's state does not allow: "cannot pause a paused job (file.file_size_zdm): resume it instead". */
public class JobActionRefusedException extends ZdmException {

    private static final long serialVersionUID = 1L;

    private final transient JobState state;

    public JobActionRefusedException(String job, JobAction action, JobState state, String why) {
        super("zdm: cannot " + action.word() + " a " + state.name().toLowerCase(Locale.ROOT) + " job (" + job
                + "): " + (why != null ? why : hint(action, state)));
        this.state = state;
    }

    /** The state the job was in. */
    public JobState state() {
        return state;
    }

    private static String hint(JobAction action, JobState state) {
        switch (state) {
            case PAUSED:
                return action == JobAction.PAUSE ? "resume it to let it go on" : "resume it instead";
            case COMPLETED:
                return "it has finished; register it again (run its changeset again) to redo its work";
            case CANCELLED:
                return action == JobAction.CANCEL ? "it is cancelled already; retry it to run it again" : "retry it to run it again";
            case FAILED:
                return "retry it once its last error is fixed";
            default:
                return action == JobAction.RESUME ? "only a paused job resumes"
                        : "it is still going; only a failed or cancelled job runs again";
        }
    }
}
