package io.walguard.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.api.SqliteDatabase;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the Kubernetes objects the decision core needs.
 *
 * <p>Each door adapts its own source to this interface: manifests on disk ({@code walguard audit -f}),
 * the live cluster ({@code walguard audit} without {@code -f}), the operator's informer caches, and the
 * webhook (caches plus the object being admitted). The core never calls a client, a clock or a file.
 */
public interface Facts {

  Optional<PersistentVolumeClaim> claim(String namespace, String name);

  Optional<PersistentVolume> persistentVolume(String name);

  Optional<StorageClass> storageClass(String name);

  /** Every StorageClass, to find the cluster's default class. */
  Collection<StorageClass> storageClasses();

  /**
   * Every PersistentVolume, to find the one whose {@code spec.claimRef} names a claim that names no volume yet (the
   * PV controller binds them). A source that cannot list PVs keeps the empty default: such claims then fall back on
   * their StorageClass.
   */
  default Collection<PersistentVolume> persistentVolumes() {
    return List.of();
  }

  /**
   * Every pod-template workload in the namespace: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and
   * CronJobs (apps/v1 and batch/v1 model classes).
   */
  Collection<HasMetadata> workloads(String namespace);

  /** Every Pod in the namespace, bare or owned by a workload; running ones say where openers are now. */
  Collection<Pod> pods(String namespace);

  Collection<HorizontalPodAutoscaler> autoscalers(String namespace);

  /**
   * Every SqliteDatabase in the namespace. The webhook uses it to find the databases an admitted PVC or workload
   * concerns; a source that holds no SqliteDatabases (the decision core never asks) keeps the empty default.
   */
  default Collection<SqliteDatabase> databases(String namespace) {
    return List.of();
  }

  /**
   * The journal mode observed in the database file by walguard itself (a finished set-journal-mode or inspect
   * Job), as {@code wal}, {@code delete}, {@code truncate}, {@code persist}; empty when nothing was observed.
   * Manifests on disk never know this.
   */
  default Optional<String> observedJournalMode(SqliteDatabase database) {
    return Optional.empty();
  }

  /**
   * What a walguard probe pod observed of the filesystem that backs the database's claim; empty when no probe ran.
   * It ranks below an explicit override and above everything read from PVs and StorageClasses.
   */
  default Optional<io.walguard.storage.MountObservation> probedMount(SqliteDatabase database) {
    return Optional.empty();
  }

  /** Convenience for doors that hold nothing of a kind. */
  static <T> Collection<T> none() {
    return List.of();
  }
}
