package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.walguard.api.CheckpointSpec;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.audit.StatefulSetClaims;
import io.walguard.core.Annotations;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in without a custom resource: a PVC, a workload (its metadata or pod template) or a Pod annotated
 * {@code walguard.io/sqlite: "true"} gets a SqliteDatabase for each claim it names (a StatefulSet's
 * volumeClaimTemplates included), named after the claim, with {@code remedy: none} so nothing changes until a person
 * adopts it by editing the remedy. The file comes from {@code walguard.io/sqlite-file}, on the claim first; without
 * it the SqliteDatabase says the file is unknown. The annotations are read as {@code walguard audit} reads them, so
 * both find the same databases.
 *
 * <p>It sees objects as the informers store them and works off the informer threads, on its own single thread. Only
 * the leader creates anything; on becoming leader it looks at every cached object once.
 */
final class OptInWatcher implements AutoCloseable {

  /** {@code spec.file} of a SqliteDatabase created without {@code walguard.io/sqlite-file} (the field is required). */
  static final String UNKNOWN_FILE = "unknown";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String DATABASE_LABEL = Annotations.PREFIX + "database";
  private static final Logger log = LoggerFactory.getLogger(OptInWatcher.class);

  private final KubernetesClient client;
  private final ClusterCaches caches;
  private final Leadership leadership;
  private final EventRecorder events;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "walguard-opt-in");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  OptInWatcher(KubernetesClient client, ClusterCaches caches, Leadership leadership, EventRecorder events) {
    this.client = client;
    this.caches = caches;
    this.leadership = leadership;
    this.events = events;
  }

  /** Whether a SqliteDatabase was created by opt-in without knowing its file. */
  static boolean fileUnknown(SqliteDatabase db) {
    var labels = db.getMetadata().getLabels();
    return labels != null && EventRecorder.COMPONENT.equals(labels.get(MANAGED_BY)) && db.getSpec() != null
        && UNKNOWN_FILE.equals(db.getSpec().getFile());
  }

  /** One claim to opt in, and where the annotation was found. */
  record Request(String namespace, String claim, String file, HasMetadata source) {}

  /**
   * The claims an object opts in, if it carries the annotation, read as {@code walguard audit} reads it: on a
   * workload its own metadata first, its pod template second; for a StatefulSet also the claims of its
   * volumeClaimTemplates ({@code <template>-<statefulset>-<ordinal>}, named as the audit names them).
   */
  static List<Request> requests(HasMetadata object) {
    List<Request> requests = new ArrayList<>();
    String ns = object.getMetadata().getNamespace();
    if (object instanceof PersistentVolumeClaim pvc) {
      if (optedIn(annotation(pvc.getMetadata(), Annotations.SQLITE))) {
        requests.add(new Request(ns, pvc.getMetadata().getName(), file(annotation(pvc.getMetadata(),
            Annotations.SQLITE_FILE)), pvc));
      }
      return requests;
    }
    if (object instanceof Pod pod) {
      if (optedIn(annotation(pod.getMetadata(), Annotations.SQLITE))) {
        String file = file(annotation(pod.getMetadata(), Annotations.SQLITE_FILE));
        Workloads.claims(pod.getSpec()).forEach(c -> requests.add(new Request(ns, c, file, pod)));
      }
      return requests;
    }
    Optional<PodTemplateSpec> template = Workloads.template(object);
    if (template.isEmpty() || !optedIn(workloadAnnotation(object, template.get(), Annotations.SQLITE))) {
      return requests;
    }
    String file = file(workloadAnnotation(object, template.get(), Annotations.SQLITE_FILE));
    Set<String> claims = new LinkedHashSet<>(Workloads.claims(template.get().getSpec()));
    if (object instanceof StatefulSet statefulSet) {
      claims.addAll(StatefulSetClaims.names(statefulSet));
    }
    claims.forEach(c -> requests.add(new Request(ns, c, file, object)));
    return requests;
  }

  /** The annotation on the workload itself when it has it, else on its pod template. */
  private static String workloadAnnotation(HasMetadata workload, PodTemplateSpec template, String key) {
    String own = annotation(workload.getMetadata(), key);
    return own != null ? own : annotation(template.getMetadata(), key);
  }

  private static String annotation(ObjectMeta meta, String key) {
    Map<String, String> a = meta == null ? null : meta.getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static boolean optedIn(String value) {
    return value != null && value.strip().equalsIgnoreCase("true");
  }

  private static String file(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Called from informer threads for every stored object: cheap when the annotation is absent. */
  void observe(HasMetadata object) {
    if (!leadership.mayAct()) {
      return;
    }
    for (Request r : requests(object)) {
      String key = r.namespace() + "/" + r.claim();
      if (pending.add(key)) {
        worker.execute(() -> {
          pending.remove(key);
          ensure(r);
        });
      }
    }
  }

  /** Looks at every cached claim, workload and Pod: run when this replica starts to lead. */
  void scanAll() {
    worker.execute(() -> {
      caches.all(PersistentVolumeClaim.class).forEach(this::observe);
      ClusterCaches.WORKLOAD_KINDS.forEach(k -> caches.all(k).forEach(this::observe));
      caches.all(Pod.class).forEach(this::observe);
    });
  }

  private void ensure(Request r) {
    if (!leadership.mayAct()) {
      return;
    }
    if (!caches.databases().byIndex(ClusterCaches.DB_BY_CLAIM, r.namespace() + "/" + r.claim()).isEmpty()) {
      return;
    }
    var existing = caches.databases().get(new io.javaoperatorsdk.operator.processing.event.ResourceID(r.claim(),
        r.namespace()));
    if (existing.isPresent()) {
      log.warn("{} opts claim {}/{} in, but SqliteDatabase {} already exists for claim {}; not creating another",
          Workloads.ref(r.source()), r.namespace(), r.claim(), r.claim(), existing.get().getSpec().getClaimName());
      return;
    }
    SqliteDatabase db = new SqliteDatabase();
    db.getMetadata().setName(r.claim());
    db.getMetadata().setNamespace(r.namespace());
    db.getMetadata().setLabels(Map.of(MANAGED_BY, EventRecorder.COMPONENT, DATABASE_LABEL, r.claim()));
    // As the audit does: the file named on the claim comes first, then the one on what opted the claim in.
    String file = caches.get(PersistentVolumeClaim.class, r.namespace(), r.claim())
        .map(c -> file(annotation(c.getMetadata(), Annotations.SQLITE_FILE))).orElse(r.file());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(r.claim());
    spec.setFile(file == null ? UNKNOWN_FILE : file);
    spec.setRemedy(SqliteDatabaseSpec.Remedy.none);
    // Report only, in full: a checkpoint CronJob would put walguard's own pods next to a database nobody handed it.
    spec.setCheckpoint(new CheckpointSpec());
    spec.getCheckpoint().setEnabled(false);
    db.setSpec(spec);
    try {
      client.resource(db).create();
      String message = "walguard created SqliteDatabase " + r.claim() + " for claim " + r.claim() + " because "
          + Workloads.ref(r.source()) + " carries " + Annotations.SQLITE + ": \"true\" (remedy none and checkpoints"
          + " off: walguard only reports until you change spec.remedy and spec.checkpoint.enabled)";
      events.normal(r.source(), "OptedIn", message);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        log.warn("cannot create SqliteDatabase {}/{} for {}: {} {}", r.namespace(), r.claim(),
            Workloads.ref(r.source()), e.getCode(), e.getMessage());
        events.warning(r.source(), "OptInFailed", "walguard could not create SqliteDatabase " + r.claim() + ": HTTP "
            + e.getCode() + " " + e.getMessage() + "; grant the operator create on sqlitedatabases in "
            + r.namespace());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    worker.shutdownNow();
    worker.awaitTermination(5, TimeUnit.SECONDS);
  }
}
