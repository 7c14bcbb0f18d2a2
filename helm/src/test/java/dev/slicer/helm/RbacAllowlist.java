package dev.slicer.helm;

import java.util.Map;
import java.util.Set;

/**
 * Everything the operator may do, and nothing more: (API group, resource) to verbs. The chart's RBAC must
 * grant exactly this, spread over its ClusterRoles and Roles.
 */
final class RbacAllowlist {

    static final Set<String> READ = Set.of("get", "list", "watch");
    /** Server-side apply: PATCH, and create for an apply that creates the object. */
    static final Set<String> APPLY = Set.of("get", "list", "watch", "create", "patch");
    /** Applied, and deleted when its precondition no longer holds. */
    static final Set<String> APPLY_DELETE = Set.of("get", "list", "watch", "create", "patch", "delete");

    /** Rules on namespaced resources in the watched namespaces. */
    static final Map<String, Set<String>> NAMESPACED = Map.ofEntries(
            Map.entry("slicer.dev/splitinferences", READ),
            Map.entry("slicer.dev/splitinferences/status", Set.of("patch")),
            Map.entry("apps/deployments", APPLY),
            Map.entry("apps/daemonsets", APPLY_DELETE),
            Map.entry("policy/poddisruptionbudgets", APPLY_DELETE),
            Map.entry("/services", APPLY),
            Map.entry("/configmaps", APPLY_DELETE),
            // the profiling Job is a dependent without server-side apply: updated whole, deleted once done
            Map.entry("batch/jobs", Set.of("get", "list", "watch", "create", "update", "patch", "delete")),
            Map.entry("/events", Set.of("create")),
            Map.entry("monitoring.coreos.com/servicemonitors", APPLY),
            Map.entry("monitoring.coreos.com/podmonitors", APPLY));

    /** Cluster-scoped reads: one CRD by name. */
    static final Map<String, Set<String>> CLUSTER =
            Map.of("apiextensions.k8s.io/customresourcedefinitions", Set.of("get"));

    /** With {@code metricsSource: direct}: the back-end replicas' addresses, from their Service's EndpointSlices. */
    static final Map<String, Set<String>> DIRECT_SCRAPE = Map.of("discovery.k8s.io/endpointslices", Set.of("list"));

    /** Leader election, in the release namespace. */
    static final Map<String, Set<String>> LEADER_ELECTION =
            Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch"));

    /** Grants an earlier chart made that the operator never uses; none of them may come back. */
    static final Set<String> NEVER = Set.of(
            "/pods",
            "events.k8s.io/events",
            "slicer.dev/splitinferences/scale",
            "slicer.dev/splitinferences/finalizers");

    private RbacAllowlist() {}
}
