package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.InMemoryFacts;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code walguard audit} without {@code -f}: lists what the decision core needs from the cluster (StorageClasses,
 * PersistentVolumes, and per namespace or across all of them PVCs, workloads, Pods, autoscalers and
 * SqliteDatabases) into facts, once; the same discovery and decisions then run on them as on manifests.
 */
public final class ClusterFacts {

  private static final int NOT_FOUND = 404;
  private static final int FORBIDDEN = 403;

  private final KubernetesClient client;
  private final String namespace;
  private final Consumer<String> notes;

  /**
   * @param namespace the one namespace to read, or null for all namespaces
   * @param notes where remarks about what could not be listed go (stderr in the CLI)
   */
  public ClusterFacts(KubernetesClient client, String namespace, Consumer<String> notes) {
    this.client = client;
    this.namespace = namespace;
    this.notes = notes;
  }

  public InMemoryFacts read(String defaultNamespace) throws BadInputException {
    InMemoryFacts facts = new InMemoryFacts(defaultNamespace);
    // Cluster-scoped: a user allowed only into namespaces may not list them; classification then falls back on
    // what the claims say, and the note tells them so.
    clusterScoped("StorageClasses", () -> client.storage().v1().storageClasses().list().getItems(),
        "claims without an explicit class cannot be resolved to the default class").forEach(facts::add);
    clusterScoped("PersistentVolumes", () -> client.persistentVolumes().list().getItems(),
        "storage is classified from StorageClasses only").forEach(facts::add);

    required("PersistentVolumeClaims", () -> namespaced(client.persistentVolumeClaims())).forEach(facts::add);
    required("Deployments", () -> namespaced(client.apps().deployments())).forEach(facts::add);
    required("StatefulSets", () -> namespaced(client.apps().statefulSets())).forEach(facts::add);
    required("DaemonSets", () -> namespaced(client.apps().daemonSets())).forEach(facts::add);
    required("ReplicaSets", () -> namespaced(client.apps().replicaSets())).forEach(facts::add);
    required("Jobs", () -> namespaced(client.batch().v1().jobs())).forEach(facts::add);
    required("CronJobs", () -> namespaced(client.batch().v1().cronjobs())).forEach(facts::add);
    required("Pods", () -> namespaced(client.pods())).forEach(facts::add);
    optional("HorizontalPodAutoscalers", false,
        () -> namespaced(client.autoscaling().v2().horizontalPodAutoscalers()),
        "replica counts are read from the workloads alone").forEach(facts::add);
    sqliteDatabases().forEach(facts::add);
    return facts;
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> namespaced(
      MixedOperation<T, L, ? extends Resource<T>> operation) {
    return namespace == null
        ? operation.inAnyNamespace().list().getItems()
        : operation.inNamespace(namespace).list().getItems();
  }

  private List<SqliteDatabase> sqliteDatabases() throws BadInputException {
    try {
      return namespaced(client.resources(SqliteDatabase.class));
    } catch (KubernetesClientException e) {
      if (e.getCode() == NOT_FOUND) {
        notes.accept("the SqliteDatabase CRD is not installed in this cluster: only claims opted in with the"
            + " annotation walguard.io/sqlite: \"true\" are audited");
        return List.of();
      }
      throw unreadable("SqliteDatabases", false, e);
    }
  }

  private <T> List<T> required(String what, Supplier<List<T>> list) throws BadInputException {
    try {
      return list.get();
    } catch (KubernetesClientException e) {
      throw unreadable(what, false, e);
    }
  }

  /** A kind that lives outside namespaces: listed whole, whatever --namespace says. */
  private <T> List<T> clusterScoped(String what, Supplier<List<T>> list, String consequence)
      throws BadInputException {
    return optional(what, true, list, consequence);
  }

  private <T> List<T> optional(String what, boolean clusterScoped, Supplier<List<T>> list, String consequence)
      throws BadInputException {
    try {
      return list.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == FORBIDDEN || e.getCode() == NOT_FOUND) {
        notes.accept("cannot list " + what + " (HTTP " + e.getCode() + "): " + consequence);
        return List.of();
      }
      throw unreadable(what, clusterScoped, e);
    }
  }

  private BadInputException unreadable(String what, boolean clusterScoped, KubernetesClientException e) {
    if (e.getCode() <= 0) {
      // No answer at all: which list was asked for does not matter, where the server was looked for does.
      return new BadInputException("cannot reach the API server at " + client.getMasterUrl() + ": "
          + Unreachable.why(e) + " (is the kubeconfig context right? or give -f PATH to audit manifests instead)", e);
    }
    String where = clusterScoped ? "" : namespace == null ? " in all namespaces" : " in namespace " + namespace;
    String message = "cannot list " + what + where + " from the cluster at " + client.getMasterUrl() + ": ";
    if (e.getCode() == FORBIDDEN) {
      message += "forbidden"
          + (namespace == null && !clusterScoped ? "; give --namespace NS to read only a namespace you may list" : "");
    } else {
      message += "HTTP " + e.getCode() + " " + firstLine(e.getMessage());
    }
    return new BadInputException(message, e);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
