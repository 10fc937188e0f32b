package io.walguard.reconcile;

import io.walguard.placement.LabelSelectors;
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
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.walguard.api.SqliteDatabase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The operator's view of the cluster: one informer per kind the decision core reads (per watched namespace for
 * namespaced kinds), the indexes that map a changed object to exactly the databases it concerns, and lookups for
 * {@link CacheFacts}.
 *
 * <p>Each informer gets its own pruning store: a store shared by the informers of several namespaces would lose one
 * namespace's objects when another relists.
 */
public final class ClusterCaches {

  /** Database index: {@code namespace/claimName}. */
  static final String DB_BY_CLAIM = "walguard-claim";
  /** Database index: namespace, for databases with a {@code workloadSelector}. */
  static final String DB_WITH_SELECTOR = "walguard-selector";
  /** Database index: namespace. */
  static final String DB_BY_NAMESPACE = "walguard-db-namespace";
  /** Index of every namespaced informer: namespace. */
  static final String BY_NAMESPACE = "walguard-namespace";
  /** Claim and volume index: the StorageClass they name, {@link #DEFAULT_CLASS} when none is named. */
  static final String BY_CLASS = "walguard-class";
  static final String DEFAULT_CLASS = "<default>";
  static final String ALL = "*";
  static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  static final String BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";

  static final List<Class<? extends HasMetadata>> WORKLOAD_KINDS = List.of(Deployment.class, StatefulSet.class,
      DaemonSet.class, ReplicaSet.class, Job.class, CronJob.class);

  private final boolean prune;
  private final Map<Class<?>, Map<String, WatchedSource<?>>> sources = new LinkedHashMap<>();
  private IndexerResourceCache<SqliteDatabase> databases;
  private volatile Consumer<HasMetadata> observer = o -> {};

  public ClusterCaches(boolean prune) {
    this.prune = prune;
  }

  /** Adds the database indexes to the primary cache and creates one informer per kind and watched namespace. */
  List<EventSource<?, SqliteDatabase>> create(EventSourceContext<SqliteDatabase> context) {
    this.databases = context.getPrimaryCache();
    databases.addIndexers(Map.of(
        DB_BY_CLAIM, db -> db.getSpec() == null || db.getSpec().getClaimName() == null ? List.of()
            : List.of(db.getMetadata().getNamespace() + "/" + db.getSpec().getClaimName()),
        DB_WITH_SELECTOR, db -> db.getSpec() != null && db.getSpec().getWorkloadSelector() != null
            ? List.of(db.getMetadata().getNamespace()) : List.of(),
        DB_BY_NAMESPACE, db -> List.of(db.getMetadata().getNamespace())));

    var controller = context.getControllerConfiguration();
    Set<String> namespaces = controller.getInformerConfig().getEffectiveNamespaces(controller);
    List<String> targets = InformerConfiguration.allNamespacesWatched(namespaces) ? List.of(ALL)
        : namespaces.stream().sorted().toList();

    List<EventSource<?, SqliteDatabase>> created = new ArrayList<>();
    for (String ns : targets) {
      created.add(source(context, PersistentVolumeClaim.class, ns, this::databasesOfClaim));
      created.add(source(context, Pod.class, ns, this::databasesOfPod));
      for (Class<? extends HasMetadata> kind : WORKLOAD_KINDS) {
        created.add(workloadSource(context, kind, ns));
      }
      created.add(source(context, HorizontalPodAutoscaler.class, ns, this::databasesOfAutoscaler));
    }
    created.add(source(context, PersistentVolume.class, ALL, this::databasesOfVolume));
    created.add(source(context, StorageClass.class, ALL, this::databasesOfClass));
    return created;
  }

  private <R extends HasMetadata> EventSource<?, SqliteDatabase> workloadSource(
      EventSourceContext<SqliteDatabase> context, Class<R> kind, String ns) {
    return source(context, kind, ns, this::databasesOfWorkload);
  }

  private <R extends HasMetadata> WatchedSource<R> source(EventSourceContext<SqliteDatabase> context, Class<R> kind,
      String ns, SecondaryToPrimaryMapper<R> mapper) {
    var builder = InformerEventSourceConfiguration.from(kind, SqliteDatabase.class)
        .withName(kind.getSimpleName() + "@" + ns)
        .withSecondaryToPrimaryMapper(mapper)
        // walguard reads secondaries through its own indexes, never through JOSDK's primary-to-secondary index,
        // which would hold one more entry per cached object.
        .withPrimaryToSecondaryMapper(primary -> Set.of())
        .withOnUpdateFilter(new UpdateRelevance<>())
        .withFollowControllerNamespacesChanges(false);
    if (ALL.equals(ns)) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(ns);
    }
    if (prune) {
      builder.withItemStore(new TransformingItemStore<>(CachePruner::prune));
    }
    WatchedSource<R> source = new WatchedSource<>(builder.build(), context, o -> observer.accept(o));
    Map<String, java.util.function.Function<R, List<String>>> indexers = new LinkedHashMap<>();
    indexers.put(BY_NAMESPACE, o -> o.getMetadata().getNamespace() == null ? List.of()
        : List.of(o.getMetadata().getNamespace()));
    if (kind == PersistentVolumeClaim.class) {
      indexers.put(BY_CLASS, o -> List.of(classOf(((PersistentVolumeClaim) o).getSpec() == null ? null
          : ((PersistentVolumeClaim) o).getSpec().getStorageClassName())));
    } else if (kind == PersistentVolume.class) {
      indexers.put(BY_CLASS, o -> List.of(classOf(((PersistentVolume) o).getSpec() == null ? null
          : ((PersistentVolume) o).getSpec().getStorageClassName())));
    }
    source.addIndexers(indexers);
    sources.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(ns, source);
    return source;
  }

  private static String classOf(String storageClassName) {
    return storageClassName == null ? DEFAULT_CLASS : storageClassName;
  }

  /** Sees every object the informers add or change (after the database mapping), e.g. for opt-in annotations. */
  void observe(Consumer<HasMetadata> observer) {
    this.observer = observer;
  }

  // ---- lookups -------------------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> Collection<WatchedSource<R>> sourcesOf(Class<R> kind) {
    Map<String, WatchedSource<?>> byNs = sources.get(kind);
    if (byNs == null) {
      return List.of();
    }
    return (Collection<WatchedSource<R>>) (Collection<?>) byNs.values();
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> Optional<WatchedSource<R>> sourceFor(Class<R> kind, String namespace) {
    Map<String, WatchedSource<?>> byNs = sources.get(kind);
    if (byNs == null) {
      return Optional.empty();
    }
    WatchedSource<?> s = byNs.containsKey(ALL) ? byNs.get(ALL) : byNs.get(namespace);
    return Optional.ofNullable((WatchedSource<R>) s);
  }

  public <R extends HasMetadata> Optional<R> get(Class<R> kind, String namespace, String name) {
    ResourceID id = namespace == null ? new ResourceID(name) : new ResourceID(name, namespace);
    return sourceFor(kind, namespace).flatMap(s -> s.get(id));
  }

  public <R extends HasMetadata> List<R> inNamespace(Class<R> kind, String namespace) {
    return sourceFor(kind, namespace).map(s -> s.byIndex(BY_NAMESPACE, namespace)).orElse(List.of());
  }

  public <R extends HasMetadata> List<R> all(Class<R> kind) {
    return sourcesOf(kind).stream().flatMap(s -> s.list()).toList();
  }

  <R extends HasMetadata> List<R> byIndex(Class<R> kind, String index, String key) {
    return sourcesOf(kind).stream().flatMap(s -> s.byIndex(index, key).stream()).toList();
  }

  /** The SqliteDatabases in the primary cache. */
  public IndexerResourceCache<SqliteDatabase> databases() {
    return databases;
  }

  // ---- secondary to primary ------------------------------------------------------------------------------------

  private Set<ResourceID> onClaims(String namespace, Collection<String> claims) {
    Set<ResourceID> ids = new HashSet<>();
    for (String claim : claims) {
      databases.byIndex(DB_BY_CLAIM, namespace + "/" + claim).forEach(db -> ids.add(ResourceID.fromResource(db)));
    }
    return ids;
  }

  private Set<ResourceID> selecting(String namespace, Map<String, String> labels) {
    Set<ResourceID> ids = new HashSet<>();
    for (SqliteDatabase db : databases.byIndex(DB_WITH_SELECTOR, namespace)) {
      if (LabelSelectors.matches(db.getSpec().getWorkloadSelector(), labels)) {
        ids.add(ResourceID.fromResource(db));
      }
    }
    return ids;
  }

  private Set<ResourceID> onClaimPatterns(String namespace, List<Pattern> patterns) {
    Set<ResourceID> ids = new HashSet<>();
    if (patterns.isEmpty()) {
      return ids;
    }
    for (SqliteDatabase db : databases.byIndex(DB_BY_NAMESPACE, namespace)) {
      String claim = db.getSpec() == null ? null : db.getSpec().getClaimName();
      if (claim != null && patterns.stream().anyMatch(p -> p.matcher(claim).matches())) {
        ids.add(ResourceID.fromResource(db));
      }
    }
    return ids;
  }

  Set<ResourceID> databasesOfClaim(PersistentVolumeClaim claim) {
    return onClaims(claim.getMetadata().getNamespace(), List.of(claim.getMetadata().getName()));
  }

  Set<ResourceID> databasesOfVolume(PersistentVolume volume) {
    var ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
    if (ref == null || ref.getName() == null || ref.getNamespace() == null) {
      return Set.of();
    }
    return onClaims(ref.getNamespace(), List.of(ref.getName()));
  }

  Set<ResourceID> databasesOfClass(StorageClass storageClass) {
    String name = storageClass.getMetadata().getName();
    Set<ResourceID> ids = new HashSet<>();
    Stream<String> keys = isDefault(storageClass) ? Stream.of(name, DEFAULT_CLASS) : Stream.of(name);
    keys.forEach(key -> {
      for (PersistentVolumeClaim claim : byIndex(PersistentVolumeClaim.class, BY_CLASS, key)) {
        ids.addAll(databasesOfClaim(claim));
      }
      for (PersistentVolume volume : byIndex(PersistentVolume.class, BY_CLASS, key)) {
        ids.addAll(databasesOfVolume(volume));
      }
    });
    return ids;
  }

  static boolean isDefault(StorageClass storageClass) {
    var a = storageClass.getMetadata().getAnnotations();
    return a != null && ("true".equalsIgnoreCase(a.get(DEFAULT_CLASS_ANNOTATION))
        || "true".equalsIgnoreCase(a.get(BETA_DEFAULT_CLASS_ANNOTATION)));
  }

  Set<ResourceID> databasesOfPod(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Set<ResourceID> ids = onClaims(ns, Workloads.claims(pod.getSpec()));
    ids.addAll(selecting(ns, pod.getMetadata().getLabels()));
    return ids;
  }

  <R extends HasMetadata> Set<ResourceID> databasesOfWorkload(R workload) {
    String ns = workload.getMetadata().getNamespace();
    Set<ResourceID> ids = onClaims(ns, Workloads.templateClaims(workload));
    ids.addAll(onClaimPatterns(ns, Workloads.claimTemplatePatterns(workload)));
    ids.addAll(selecting(ns, Workloads.templateLabels(workload)));
    return ids;
  }

  Set<ResourceID> databasesOfAutoscaler(HorizontalPodAutoscaler hpa) {
    var target = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
    if (target == null || target.getKind() == null || target.getName() == null) {
      return Set.of();
    }
    String ns = hpa.getMetadata().getNamespace();
    return WORKLOAD_KINDS.stream()
        .filter(k -> HasMetadata.getKind(k).equals(target.getKind()))
        .findFirst()
        .flatMap(k -> get(k, ns, target.getName()))
        .map(this::databasesOfWorkload)
        .orElse(Set.of());
  }
}
