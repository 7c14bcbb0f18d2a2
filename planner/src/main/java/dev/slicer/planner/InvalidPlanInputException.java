package dev.slicer.planner;

/**
 * A planning input the planner refuses: impossible budgets, a profile without candidates, negative, infinite or
 * NaN figures. Thrown at planning time only; looking a row up in a finished plan never throws.
 */
public class InvalidPlanInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPlanInputException(String message) {
        super(message);
    }

    /** Throws when {@code ok} is false. */
    public static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidPlanInputException(message);
        }
    }

    /** Requires a finite value {@code >= 0}. */
    public static double nonNegative(double value, String what) {
        require(Double.isFinite(value) && value >= 0, what + " must be finite and >= 0, got " + value);
        return value;
    }

    /** Requires a finite value {@code > 0}. */
    public static double positive(double value, String what) {
        require(Double.isFinite(value) && value > 0, what + " must be finite and > 0, got " + value);
        return value;
    }

    /** Requires a value {@code >= 0}. */
    public static long nonNegative(long value, String what) {
        require(value >= 0, what + " must be >= 0, got " + value);
        return value;
    }
}
