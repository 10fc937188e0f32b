package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import java.time.Instant;
import java.util.Map;

/** Kubernetes objects as the tests' clusters hold them, created through the client as a user would. */
final class Fixtures {

  static final String EFS_CLASS = "efs-sc";
  static final String LOCAL_CLASS = "local-path";

  private final KubernetesClient client;

  Fixtures(KubernetesClient client) {
    this.client = client;
  }

  void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  StorageClass efsClass() {
    return client.resource(new StorageClassBuilder().withNewMetadata().withName(EFS_CLASS).endMetadata()
        .withProvisioner("efs.csi.aws.com").withParameters(Map.of("provisioningMode", "efs-ap"))
        .build()).create();
  }

  StorageClass localPathClass() {
    return client.resource(new StorageClassBuilder().withNewMetadata().withName(LOCAL_CLASS).endMetadata()
        .withProvisioner("rancher.io/local-path").withVolumeBindingMode("WaitForFirstConsumer").build()).create();
  }

  /** A bound claim and its PV, as a dynamic provisioner leaves them. */
  PersistentVolumeClaim boundClaim(String ns, String name, String storageClass, String driver) {
    String pv = "pvc-" + ns + "-" + name;
    client.resource(new PersistentVolumeBuilder()
        .withNewMetadata().withName(pv).endMetadata()
        .withNewSpec()
            .withStorageClassName(storageClass)
            .withAccessModes("ReadWriteOnce")
            .withCapacity(Map.of("storage", new Quantity("1Gi")))
            .withNewCsi().withDriver(driver).withVolumeHandle(pv).endCsi()
            .withNewClaimRef().withNamespace(ns).withName(name).endClaimRef()
        .endSpec()
        .withNewStatus().withPhase("Bound").endStatus()
        .build()).create();
    return client.resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec()
            .withStorageClassName(storageClass)
            .withAccessModes("ReadWriteOnce")
            .withVolumeName(pv)
            .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources()
        .endSpec()
        .withNewStatus().withPhase("Bound").endStatus()
        .build()).create();
  }

  PersistentVolumeClaim efsClaim(String ns, String name) {
    return boundClaim(ns, name, EFS_CLASS, "efs.csi.aws.com");
  }

  PersistentVolumeClaim localClaim(String ns, String name) {
    return boundClaim(ns, name, LOCAL_CLASS, "rancher.io/local-path");
  }

  static PodTemplateSpec template(String app, String claim) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec()
            .addNewContainer().withName(app).withImage("example/" + app + ":1")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
            .endContainer()
            .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume()
        .endSpec()
        .build();
  }

  static Deployment deployment(String ns, String name, String claim, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
            .withTemplate(template(name, claim))
        .endSpec()
        .build();
  }

  Deployment create(Deployment d) {
    return client.resource(d).create();
  }

  static SqliteDatabase database(String ns, String name, String claim) {
    SqliteDatabase db = new SqliteDatabase();
    db.getMetadata().setNamespace(ns);
    db.getMetadata().setName(name);
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile(name + ".db");
    db.setSpec(spec);
    return db;
  }

  SqliteDatabase create(SqliteDatabase db) {
    return client.resource(db).create();
  }

  /** The ReplicaSet a Deployment controller would create for the Deployment's current template. */
  ReplicaSet replicaSet(Deployment d) {
    Deployment live = client.resource(d).get();
    String hash = Integer.toHexString(Math.abs(live.getSpec().getTemplate().hashCode()));
    String name = live.getMetadata().getName() + "-" + hash;
    ReplicaSet existing = client.apps().replicaSets().inNamespace(live.getMetadata().getNamespace()).withName(name)
        .get();
    if (existing != null) {
      return existing;
    }
    return client.resource(new ReplicaSetBuilder()
        .withNewMetadata()
            .withNamespace(live.getMetadata().getNamespace())
            .withName(name)
            .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
                .withName(live.getMetadata().getName()).withUid(live.getMetadata().getUid()).withController(true)
            .endOwnerReference()
        .endMetadata()
        .withNewSpec()
            .withReplicas(live.getSpec().getReplicas())
            .withSelector(live.getSpec().getSelector())
            .withTemplate(live.getSpec().getTemplate())
        .endSpec()
        .build()).create();
  }

  /** A running pod of the Deployment's current ReplicaSet, on a node, started at a given time: what a scheduler and kubelet would leave. */
  Pod runPod(Deployment d, String podName, String node, Instant started) {
    return client.resource(podOfReplicaSet(d, podName)
        .editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").withStartTime(started.toString()).endStatus()
        .build()).create();
  }

  /** A pod of the Deployment's current ReplicaSet that the scheduler could not place, as it reports it. */
  Pod unschedulablePod(Deployment d, String podName, String message) {
    return client.resource(podOfReplicaSet(d, podName)
        .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
            .withReason("Unschedulable").withMessage(message).endCondition().endStatus()
        .build()).create();
  }

  /** A pod the Deployment's current ReplicaSet owns, made from its template, before any status. */
  private PodBuilder podOfReplicaSet(Deployment d, String podName) {
    ReplicaSet rs = replicaSet(d);
    PodTemplateSpec t = rs.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadata()
            .withNamespace(rs.getMetadata().getNamespace())
            .withName(podName)
            .withLabels(t.getMetadata().getLabels())
            .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true)
            .endOwnerReference()
        .endMetadata()
        .withSpec(t.getSpec());
  }

  /**
   * The story most pin tests start from: Deployment {@code app} with two replicas on the EFS claim {@code data},
   * running on node-a (started at {@code t0}, the older) and node-b (a minute later).
   */
  Deployment efsDeploymentOnTwoNodes(String ns, Instant t0) {
    efsClass();
    efsClaim(ns, "data");
    Deployment d = create(deployment(ns, "app", "data", 2));
    runPod(d, "app-1", "node-a", t0);
    runPod(d, "app-2", "node-b", t0.plusSeconds(60));
    return d;
  }

  void delete(HasMetadata object) {
    client.resource(object).delete();
  }
}
