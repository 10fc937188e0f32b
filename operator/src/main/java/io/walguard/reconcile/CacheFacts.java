package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Facts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link Facts} read from the operator's informer caches: the same interface the audit CLI reads from manifests or a
 * listed cluster, so both doors hand the decision core the same objects. Reads never call the API server. The
 * admission webhook uses it too, with the object under admission laid over it.
 */
public final class CacheFacts implements Facts {

  private final ClusterCaches caches;

  public CacheFacts(ClusterCaches caches) {
    this.caches = caches;
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return caches.get(PersistentVolumeClaim.class, namespace, name);
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return caches.get(PersistentVolume.class, null, name);
  }

  @Override
  public Optional<StorageClass> storageClass(String name) {
    return caches.get(StorageClass.class, null, name);
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return caches.all(StorageClass.class);
  }

  @Override
  public Collection<PersistentVolume> persistentVolumes() {
    return caches.all(PersistentVolume.class);
  }

  @Override
  public Collection<HasMetadata> workloads(String namespace) {
    List<HasMetadata> all = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : ClusterCaches.WORKLOAD_KINDS) {
      all.addAll(caches.inNamespace(kind, namespace));
    }
    return all;
  }

  @Override
  public Collection<Pod> pods(String namespace) {
    return caches.inNamespace(Pod.class, namespace);
  }

  @Override
  public Collection<HorizontalPodAutoscaler> autoscalers(String namespace) {
    return caches.inNamespace(HorizontalPodAutoscaler.class, namespace);
  }

  /** The SqliteDatabases of the namespace: the webhook finds through them the databases an admitted object concerns. */
  @Override
  public Collection<SqliteDatabase> databases(String namespace) {
    var cache = caches.databases();
    return cache == null ? List.of() : cache.byIndex(ClusterCaches.DB_BY_NAMESPACE, namespace);
  }

  /** The journal mode a walguard Job read from the file, as recorded in the database's status. */
  @Override
  public Optional<String> observedJournalMode(SqliteDatabase database) {
    var status = database.getStatus();
    if (status == null || status.getJournalMode() == null || status.getJournalMode().isBlank()
        || "unknown".equalsIgnoreCase(status.getJournalMode())) {
      return Optional.empty();
    }
    return Optional.of(status.getJournalMode().toLowerCase(Locale.ROOT));
  }

  /** What walguard's probe pod saw under the database's current claim, as recorded in the database's status. */
  @Override
  public Optional<io.walguard.storage.MountObservation> probedMount(SqliteDatabase database) {
    var status = database.getStatus();
    if (status == null || status.getProbe() == null || status.getProbe().getFstype() == null
        || database.getSpec() == null || status.getProbe().getTarget() == null
        || !status.getProbe().getTarget().startsWith(database.getSpec().getClaimName() + "@")) {
      return Optional.empty();
    }
    return Optional.of(ToolboxResults.mount(status.getProbe()));
  }
}
