package dev.slicer.operator.planning;

/** The planner rejected its inputs; the message is shown to the user in the Planned condition. */
public class PlanningException extends Exception {

    private static final long serialVersionUID = 1L;

    public PlanningException(String message, Throwable cause) {
        super(message, cause);
    }
}
