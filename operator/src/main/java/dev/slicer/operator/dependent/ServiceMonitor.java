package dev.slicer.operator.dependent;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), typed only as far as the operator needs: the spec is
 * kept as a map. A typed class (instead of a generic resource) lets the informer address the API without discovery,
 * which matters while the CRD is absent.
 */
@Group(Monitors.GROUP)
@Version("v1")
@Kind("ServiceMonitor")
@Plural("servicemonitors")
public class ServiceMonitor extends CustomResource<Map<String, Object>, Void> implements Namespaced {

    private static final long serialVersionUID = 1L;
}
