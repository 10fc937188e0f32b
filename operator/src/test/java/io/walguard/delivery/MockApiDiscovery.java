package io.walguard.delivery;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents (/version, /api, /apis and each group version's resource list) that the fabric8 mock
 * server does not serve and that Helm (client-go) reads before it creates anything. Registered as expectations next
 * to the CRUD store (the mock's mixed mode), for the kinds the walguard chart creates or the operator reads.
 * The demo's EmbeddedApiServer serves discovery too, but no server version, and Helm needs one to check the
 * chart's kubeVersion.
 */
final class MockApiDiscovery {

  /** A resource as discovery lists it. */
  record Resource(String plural, String kind, boolean namespaced) {}

  /** The kinds per group version; the core group is "". */
  static final Map<String, List<Resource>> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put("v1", List.of(
        new Resource("namespaces", "Namespace", false),
        new Resource("serviceaccounts", "ServiceAccount", true),
        new Resource("services", "Service", true),
        new Resource("secrets", "Secret", true),
        new Resource("configmaps", "ConfigMap", true),
        new Resource("pods", "Pod", true),
        new Resource("persistentvolumeclaims", "PersistentVolumeClaim", true),
        new Resource("persistentvolumes", "PersistentVolume", false),
        new Resource("events", "Event", true)));
    RESOURCES.put("apps/v1", List.of(
        new Resource("deployments", "Deployment", true),
        new Resource("statefulsets", "StatefulSet", true),
        new Resource("daemonsets", "DaemonSet", true),
        new Resource("replicasets", "ReplicaSet", true)));
    RESOURCES.put("batch/v1", List.of(
        new Resource("jobs", "Job", true),
        new Resource("cronjobs", "CronJob", true)));
    RESOURCES.put("policy/v1", List.of(new Resource("poddisruptionbudgets", "PodDisruptionBudget", true)));
    RESOURCES.put("coordination.k8s.io/v1", List.of(new Resource("leases", "Lease", true)));
    RESOURCES.put("storage.k8s.io/v1", List.of(new Resource("storageclasses", "StorageClass", false)));
    RESOURCES.put("rbac.authorization.k8s.io/v1", List.of(
        new Resource("clusterroles", "ClusterRole", false),
        new Resource("clusterrolebindings", "ClusterRoleBinding", false),
        new Resource("roles", "Role", true),
        new Resource("rolebindings", "RoleBinding", true)));
    RESOURCES.put("admissionregistration.k8s.io/v1", List.of(
        new Resource("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)));
    RESOURCES.put("apiextensions.k8s.io/v1", List.of(
        new Resource("customresourcedefinitions", "CustomResourceDefinition", false)));
  }

  static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");

  private MockApiDiscovery() {}

  static void serve(KubernetesMockServer server) {
    expect(server, "/version", Map.of("major", "1", "minor", "31", "gitVersion", "v1.31.0",
        "platform", "linux/amd64"));
    expect(server, "/api", new APIVersionsBuilder().withVersions("v1").build());
    var groups = new APIGroupListBuilder();
    RESOURCES.forEach((groupVersion, resources) -> {
      var list = new APIResourceListBuilder().withGroupVersion(groupVersion);
      for (Resource r : resources) {
        list.addToResources(new APIResourceBuilder().withName(r.plural()).withKind(r.kind())
            .withNamespaced(r.namespaced()).withSingularName("").withVerbs(VERBS).build());
      }
      if (groupVersion.equals("v1")) {
        expect(server, "/api/v1", list.build());
      } else {
        String group = groupVersion.substring(0, groupVersion.indexOf('/'));
        String version = groupVersion.substring(group.length() + 1);
        var gv = new GroupVersionForDiscoveryBuilder().withGroupVersion(groupVersion).withVersion(version).build();
        groups.addToGroups(new APIGroupBuilder().withName(group).withVersions(gv).withPreferredVersion(gv).build());
        expect(server, "/apis/" + groupVersion, list.build());
      }
    });
    expect(server, "/apis", groups.build());
  }

  /** client-go asks with and without its request timeout as a query parameter. */
  private static void expect(KubernetesMockServer server, String path, Object body) {
    String json = Serialization.asJson(body);
    server.expect().get().withPath(path).andReturn(200, json).always();
    server.expect().get().withPath(path + "?timeout=32s").andReturn(200, json).always();
  }
}
