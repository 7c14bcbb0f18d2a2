package dev.slicer.helm;

import java.util.Map;
import java.util.Set;

/**
 * Everything the operator may do, and nothing more: (API group, resource) to verbs. The chart's RBAC must
 * grant exactly this, spread over its ClusterRoles and Roles.
 */
final class RbacAllowlist {

    static final Set<String> ALL_WRITE = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** Rules on namespaced resources in the watched namespaces. */
    static final Map<String, Set<String>> NAMESPACED = Map.ofEntries(
            Map.entry("slicer.dev/splitinferences", Set.of("get", "list", "watch", "patch", "update")),
            Map.entry("slicer.dev/splitinferences/status", Set.of("get", "patch", "update")),
            Map.entry("slicer.dev/splitinferences/scale", Set.of("get", "patch", "update")),
            Map.entry("slicer.dev/splitinferences/finalizers", Set.of("update")),
            Map.entry("apps/deployments", ALL_WRITE),
            Map.entry("apps/daemonsets", ALL_WRITE),
            Map.entry("/services", ALL_WRITE),
            Map.entry("/configmaps", ALL_WRITE),
            Map.entry("/pods", Set.of("get", "list", "watch")),
            Map.entry("batch/jobs", ALL_WRITE),
            Map.entry("/events", Set.of("create", "patch")),
            Map.entry("events.k8s.io/events", Set.of("create", "patch")),
            Map.entry("monitoring.coreos.com/servicemonitors", ALL_WRITE),
            Map.entry("monitoring.coreos.com/podmonitors", ALL_WRITE));

    /** Cluster-scoped reads. */
    static final Map<String, Set<String>> CLUSTER =
            Map.of("apiextensions.k8s.io/customresourcedefinitions", Set.of("get", "list"));

    /** Leader election, in the release namespace. */
    static final Map<String, Set<String>> LEADER_ELECTION =
            Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update"));

    private RbacAllowlist() {}
}
