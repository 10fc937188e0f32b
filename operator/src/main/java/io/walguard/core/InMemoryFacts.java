package io.walguard.core;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.api.SqliteDatabase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Facts held in memory: a set of Kubernetes objects, as read from manifests, listed from a cluster, or built by a
 * test. Objects without a namespace are placed in the default namespace given at construction.
 */
public class InMemoryFacts implements Facts {

  private final String defaultNamespace;
  private final Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
  private final Map<String, PersistentVolume> volumes = new LinkedHashMap<>();
  private final Map<String, StorageClass> classes = new LinkedHashMap<>();
  private final List<HasMetadata> workloads = new ArrayList<>();
  private final List<Pod> pods = new ArrayList<>();
  private final List<HorizontalPodAutoscaler> autoscalers = new ArrayList<>();
  private final List<SqliteDatabase> databases = new ArrayList<>();
  private final List<HasMetadata> others = new ArrayList<>();

  public InMemoryFacts(String defaultNamespace) {
    this.defaultNamespace = Objects.requireNonNull(defaultNamespace);
  }

  public static InMemoryFacts of(String defaultNamespace, Collection<? extends HasMetadata> objects) {
    InMemoryFacts facts = new InMemoryFacts(defaultNamespace);
    objects.forEach(facts::add);
    return facts;
  }

  public String defaultNamespace() {
    return defaultNamespace;
  }

  /** The namespace an object is in: its own, or the default one for objects that name none. */
  public String namespaceOf(HasMetadata object) {
    String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? defaultNamespace : ns;
  }

  /** Adds an object; a later object with the same kind, namespace and name replaces the earlier one. */
  public InMemoryFacts add(HasMetadata object) {
    if (object instanceof PersistentVolumeClaim pvc) {
      claims.put(namespaceOf(pvc) + "/" + pvc.getMetadata().getName(), pvc);
    } else if (object instanceof PersistentVolume pv) {
      volumes.put(pv.getMetadata().getName(), pv);
    } else if (object instanceof StorageClass sc) {
      classes.put(sc.getMetadata().getName(), sc);
    } else if (object instanceof Deployment || object instanceof StatefulSet || object instanceof DaemonSet
        || object instanceof ReplicaSet || object instanceof Job || object instanceof CronJob) {
      replace(workloads, object);
    } else if (object instanceof Pod pod) {
      replace(pods, pod);
    } else if (object instanceof HorizontalPodAutoscaler hpa) {
      replace(autoscalers, hpa);
    } else if (object instanceof SqliteDatabase db) {
      replace(databases, db);
    } else {
      replace(others, object);
    }
    return this;
  }

  private <T extends HasMetadata> void replace(List<T> list, T object) {
    list.removeIf(o -> o.getKind().equals(object.getKind()) && namespaceOf(o).equals(namespaceOf(object))
        && Objects.equals(o.getMetadata().getName(), object.getMetadata().getName()));
    list.add(object);
  }

  @Override
  public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return Optional.ofNullable(claims.get(namespace + "/" + name));
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return Optional.ofNullable(volumes.get(name));
  }

  @Override
  public Optional<StorageClass> storageClass(String name) {
    return Optional.ofNullable(classes.get(name));
  }

  @Override
  public Collection<StorageClass> storageClasses() {
    return List.copyOf(classes.values());
  }

  @Override
  public Collection<PersistentVolume> persistentVolumes() {
    return List.copyOf(volumes.values());
  }

  @Override
  public Collection<HasMetadata> workloads(String namespace) {
    return workloads.stream().filter(w -> namespaceOf(w).equals(namespace)).toList();
  }

  @Override
  public Collection<Pod> pods(String namespace) {
    return pods.stream().filter(p -> namespaceOf(p).equals(namespace)).toList();
  }

  @Override
  public Collection<HorizontalPodAutoscaler> autoscalers(String namespace) {
    return autoscalers.stream().filter(h -> namespaceOf(h).equals(namespace)).toList();
  }

  @Override
  public Collection<SqliteDatabase> databases(String namespace) {
    return databases.stream().filter(d -> namespaceOf(d).equals(namespace)).toList();
  }

  public Collection<PersistentVolumeClaim> claims() {
    return List.copyOf(claims.values());
  }

  public Collection<HasMetadata> allWorkloads() {
    return List.copyOf(workloads);
  }

  public Collection<Pod> allPods() {
    return List.copyOf(pods);
  }

  public Collection<SqliteDatabase> databases() {
    return List.copyOf(databases);
  }

  /** The objects of kinds the decision core does not read (ConfigMaps, Services, custom resources ...). */
  public Collection<HasMetadata> others() {
    return List.copyOf(others);
  }
}
