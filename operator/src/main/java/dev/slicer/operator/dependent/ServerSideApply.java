package dev.slicer.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Whether the dependents apply server-side ({@code slicer.operator.server-side-apply}, default on). A run-time switch
 * (the extension's own {@code enable-ssa} is fixed at build time) for API servers that cannot apply: the Fabric8 mock
 * answers an apply that would create an object with 404 and keeps no managedFields. The reconciler puts the setting
 * into every reconciliation's context; each dependent's {@code useSSA} reads it.
 */
public final class ServerSideApply {

    /** Key of the setting in a reconciliation's context. */
    public static final String KEY = ServerSideApply.class.getName();

    private ServerSideApply() {}

    public static boolean enabled(Context<?> context) {
        return context.managedWorkflowAndDependentResourceContext()
                .get(KEY, Boolean.class)
                .orElse(true);
    }
}
