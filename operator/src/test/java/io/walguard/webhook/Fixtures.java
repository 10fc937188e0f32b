package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import java.util.Map;

/** Kubernetes objects for webhook tests, in namespace {@value #NS}. */
final class Fixtures {

  static final String NS = "apps";

  private Fixtures() {}

  static StorageClass storageClass(String name, String provisioner) {
    return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withProvisioner(provisioner)
        .build();
  }

  static StorageClass efs() {
    return storageClass("efs-sc", "efs.csi.aws.com");
  }

  static StorageClass gp3() {
    return storageClass("gp3", "ebs.csi.aws.com");
  }

  static PersistentVolumeClaim claim(String name, String storageClass, Map<String, String> annotations) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withAnnotations(annotations).endMetadata()
        .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteMany")
        .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
        .endResources().endSpec()
        .build();
  }

  static PersistentVolumeClaim claim(String name, String storageClass) {
    return claim(name, storageClass, Map.of());
  }

  static Deployment deployment(String name, int replicas, String strategy, String claim,
      Map<String, String> annotations, Map<String, String> templateAnnotations) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withAnnotations(annotations).endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewStrategy().withType(strategy).endStrategy()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", name).withAnnotations(templateAnnotations).endMetadata()
            .withNewSpec()
              .addNewContainer().withName("app").withImage("example/app:1").addNewVolumeMount().withName("data")
                .withMountPath("/data").endVolumeMount().endContainer()
              .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  static Deployment deployment(String name, int replicas, String claim) {
    return deployment(name, replicas, "RollingUpdate", claim, Map.of(), Map.of());
  }

  static Deployment withAnnotation(Deployment d, String key, String value) {
    Deployment copy = new DeploymentBuilder(d).build();
    copy.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(key, value)));
    return copy;
  }

  static DaemonSet daemonSet(String name, String claim) {
    return new DaemonSetBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
            .addNewContainer().withName("agent").withImage("example/agent:1").endContainer()
            .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
              .endPersistentVolumeClaim().endVolume()
          .endSpec().endTemplate().endSpec()
        .build();
  }

  static Pod pod(String name, String claim, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withAnnotations(annotations).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/app:1").endContainer()
          .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
            .endPersistentVolumeClaim().endVolume()
        .endSpec()
        .build();
  }

  static SqliteDatabase database(String name, String claim, SqliteDatabaseSpec.Remedy remedy) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile(name + ".db");
    spec.setRemedy(remedy);
    db.setSpec(spec);
    return db;
  }

  static Map<String, String> sqlite() {
    return Map.of("walguard.io/sqlite", "true");
  }

  @SafeVarargs
  static <T extends HasMetadata> java.util.List<HasMetadata> list(T... objects) {
    return java.util.List.of(objects);
  }
}
