package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.api.SqliteDatabase;
import io.walguard.audit.StatefulSetClaims;
import io.walguard.core.Facts;
import io.walguard.storage.MountObservation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's caches with the object being admitted laid over them: the admitted object replaces its namesake
 * (same kind, namespace and name), or joins the others when it is new. The caches themselves are never changed.
 */
public final class OverlayFacts implements Facts {

  private final Facts base;
  private final HasMetadata admitted;
  private final String namespace;

  /**
   * @param base the caches
   * @param admitted the object as the API server would store it (its namespace already filled in), or null for none
   */
  public OverlayFacts(Facts base, HasMetadata admitted) {
    this.base = Objects.requireNonNull(base);
    this.admitted = admitted;
    this.namespace = admitted == null ? null : Objects.requireNonNullElse(admitted.getMetadata().getNamespace(), "");
  }

  private boolean admittedIs(Class<?> type, String ns) {
    return admitted != null && type.isInstance(admitted) && namespace.equals(ns);
  }

  /**
   * The admitted PVC, a cached one, or, for an admitted StatefulSet, a claim its volumeClaimTemplates will create
   * (as {@code walguard audit} counts them): a new StatefulSet's claims do not exist yet when it is admitted.
   */
  @Override
  public Optional<PersistentVolumeClaim> claim(String ns, String name) {
    if (admittedIs(PersistentVolumeClaim.class, ns) && Objects.equals(admitted.getMetadata().getName(), name)) {
      return Optional.of((PersistentVolumeClaim) admitted);
    }
    Optional<PersistentVolumeClaim> cached = base.claim(ns, name);
    if (cached.isEmpty() && admittedIs(StatefulSet.class, ns)) {
      return StatefulSetClaims.claim((StatefulSet) admitted, ns, name);
    }
    return cached;
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return base.persistentVolume(name);
  }

  @Override
  public Optional<StorageClass> storageClass(String name) {
    return base.storageClass(name);
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return base.storageClasses();
  }

  @Override
  public Collection<PersistentVolume> persistentVolumes() {
    return base.persistentVolumes();
  }

  @Override
  public Collection<HasMetadata> workloads(String ns) {
    Collection<HasMetadata> cached = base.workloads(ns);
    if (admitted == null || admitted instanceof Pod || admitted instanceof PersistentVolumeClaim
        || admitted instanceof SqliteDatabase || !namespace.equals(ns)) {
      return cached;
    }
    return replaced(cached);
  }

  @Override
  public Collection<Pod> pods(String ns) {
    Collection<Pod> cached = base.pods(ns);
    return admittedIs(Pod.class, ns) ? replaced(cached) : cached;
  }

  @Override
  public Collection<HorizontalPodAutoscaler> autoscalers(String ns) {
    return base.autoscalers(ns);
  }

  @Override
  public Collection<SqliteDatabase> databases(String ns) {
    Collection<SqliteDatabase> cached = base.databases(ns);
    return admittedIs(SqliteDatabase.class, ns) ? replaced(cached) : cached;
  }

  @Override
  public Optional<String> observedJournalMode(SqliteDatabase database) {
    return base.observedJournalMode(database);
  }

  @Override
  public Optional<MountObservation> probedMount(SqliteDatabase database) {
    return base.probedMount(database);
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> List<T> replaced(Collection<T> cached) {
    List<T> out = new ArrayList<>(cached.size() + 1);
    for (T o : cached) {
      if (!isNamesake(o)) {
        out.add(o);
      }
    }
    out.add((T) admitted);
    return out;
  }

  private boolean isNamesake(HasMetadata o) {
    String name = admitted.getMetadata().getName();
    return name != null && !name.isEmpty() && o.getClass() == admitted.getClass()
        && o.getMetadata() != null && name.equals(o.getMetadata().getName());
  }
}
