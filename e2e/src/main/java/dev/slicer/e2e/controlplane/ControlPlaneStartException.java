package dev.slicer.e2e.controlplane;

/** The control plane did not come up; {@code portTaken} says a retry on fresh ports may succeed. */
public final class ControlPlaneStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final boolean portTaken;

    ControlPlaneStartException(String message, boolean portTaken) {
        super(message);
        this.portTaken = portTaken;
    }

    boolean portTaken() {
        return portTaken;
    }
}
