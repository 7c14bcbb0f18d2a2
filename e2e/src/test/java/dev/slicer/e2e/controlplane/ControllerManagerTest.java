package dev.slicer.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the real control plane does that the Fabric8 mock server cannot: kube-controller-manager turns a Deployment
 * into a ReplicaSet and Pods (stored, never scheduled: there are no nodes), garbage collection deletes dependents
 * of a deleted owner, RBAC denies a ServiceAccount what no Role grants, and the audit log counts writes per user.
 */
@Tag("operator-e2e")
@Tag("controlplane")
class ControllerManagerTest {
    private static final Duration CONTROLLER = Duration.ofSeconds(60);
    private static RealControlPlane cp;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        cp = RealControlPlane.shared();
        admin = cp.admin();
    }

    private static String namespace(String name) {
        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .serverSideApply();
        return name;
    }

    @Test
    void deploymentGetsAReplicaSetAndDeletingItCollectsTheReplicaSet() {
        String ns = namespace("kcm-deployment");
        Map<String, String> labels = Map.of("app", "web");
        Deployment d = admin.apps()
                .deployments()
                .inNamespace(ns)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .withMatchLabels(labels)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("web")
                        .withImage("example.invalid/never-pulled:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();

        ReplicaSet rs = await().atMost(CONTROLLER)
                .until(() -> admin.apps().replicaSets().inNamespace(ns).list().getItems(), l -> l.size() == 1)
                .get(0);
        OwnerReference owner = rs.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getUid()).isEqualTo(d.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();

        // the ReplicaSet controller creates the Pods; with no scheduler and no node they stay unbound
        List<Pod> pods = await().atMost(CONTROLLER)
                .until(() -> admin.pods().inNamespace(ns).list().getItems(), l -> l.size() == 2);
        assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNull());

        admin.apps().deployments().inNamespace(ns).withName("web").delete();
        await().atMost(CONTROLLER).until(() -> admin.apps()
                .replicaSets()
                .inNamespace(ns)
                .list()
                .getItems()
                .isEmpty());
        await().atMost(CONTROLLER)
                .until(() -> admin.pods().inNamespace(ns).list().getItems().isEmpty());
    }

    @Test
    void deletingAnOwnerGarbageCollectsItsDependent() {
        String ns = namespace("kcm-gc");
        ConfigMap owner = admin.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("owner")
                        .endMetadata()
                        .build())
                .create();
        admin.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("dependent")
                        .addNewOwnerReference()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("owner")
                        .withUid(owner.getMetadata().getUid())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .build())
                .create();

        admin.configMaps().inNamespace(ns).withName("owner").delete();

        await().atMost(CONTROLLER)
                .until(() ->
                        admin.configMaps().inNamespace(ns).withName("dependent").get() == null);
    }

    @Test
    void rbacDeniesWhatNoRoleGrantsAndTheAuditLogCountsOnlyWrites() {
        String ns = namespace("rbac-audit");
        KubernetesClient sa = cp.clientAsNew(ns, "tester");

        KubernetesClientException denied = catchThrowableOfType(
                KubernetesClientException.class,
                () -> sa.configMaps().inNamespace(ns).list());
        assertThat(denied).isNotNull();
        assertThat(denied.getCode()).isEqualTo(403);

        admin.resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("configmaps")
                        .withNamespace(ns)
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("list", "create")
                        .endRule()
                        .build())
                .create();
        admin.resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("tester-configmaps")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("configmaps")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("tester")
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create();

        // RBAC changes reach the authorizer through its informer: allowed shortly after the binding exists
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> sa.configMaps().inNamespace(ns).list() != null);
        sa.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("written")
                        .endMetadata()
                        .build())
                .create();
        KubernetesClientException notGranted = catchThrowableOfType(
                KubernetesClientException.class,
                () -> sa.configMaps().inNamespace(ns).withName("written").delete());
        assertThat(notGranted.getCode()).isEqualTo(403);

        // the lists are reads (not logged); the create and the denied delete are the tester's only writes
        List<AuditEvent> writes = cp.audit().writes().stream()
                .filter(e -> e.byServiceAccount(ns, "tester"))
                .toList();
        assertThat(writes)
                .extracting(AuditEvent::verb, AuditEvent::resource, AuditEvent::code)
                .containsExactly(tuple("create", "configmaps", 201), tuple("delete", "configmaps", 403));
        assertThat(cp.audit().count(e -> e.byServiceAccount(ns, "tester") && e.succeeded()))
                .isEqualTo(1);
    }
}
