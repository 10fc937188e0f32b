package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Annotations;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Writes the CronJob and Jobs walguard runs next to a database: owned by the SqliteDatabase, created when missing,
 * replaced only when the desired object changed (a hash of it rides along as an annotation, because a real API
 * server fills in defaults that would make every comparison of specs differ), deleted with the database.
 */
final class ToolboxObjects {

  /** The hash of the desired object walguard last wrote. */
  static final String SPEC_HASH = Annotations.PREFIX + "spec-hash";
  private static final PatchContext JSON_PATCH = new PatchContext.Builder().withPatchType(PatchType.JSON)
      .withFieldManager(Annotations.FIELD_MANAGER).build();

  /** What a write did. */
  enum Change { CREATED, UPDATED, NONE }

  private final KubernetesClient client;
  private final BooleanSupplier mayWrite;

  /**
   * @param mayWrite checked right before every write: a replica that lost its Lease while a reconciliation was under
   *     way writes nothing more, and reports no change
   */
  ToolboxObjects(KubernetesClient client, BooleanSupplier mayWrite) {
    this.client = client;
    this.mayWrite = mayWrite;
  }

  /** Creates {@code desired} or brings the existing object to it, owned by {@code db}. */
  <R extends HasMetadata> Change ensure(SqliteDatabase db, R desired, Optional<R> cached) {
    own(db, desired);
    String hash = hash(desired);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(SPEC_HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    if (cached.isPresent() && hash.equals(annotation(cached.get()))) {
      return Change.NONE;
    }
    // The cache can lag behind walguard's own create by a watch event: read the server before creating.
    R live = client.resource(desired).get();
    if (!mayWrite.getAsBoolean()) {
      return Change.NONE;
    }
    if (live == null) {
      try {
        client.resource(desired).create();
        return Change.CREATED;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        live = client.resource(desired).get();
      }
    }
    if (hash.equals(annotation(live)) || !mayWrite.getAsBoolean()) {
      return Change.NONE;
    }
    // One JSON patch that replaces what walguard owns whole, guarded by the resourceVersion it read.
    var json = client.getKubernetesSerialization();
    var ops = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    ops.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
        .put("value", live.getMetadata().getResourceVersion());
    for (String field : new String[] {"labels", "annotations", "ownerReferences"}) {
      PinPatch.add(ops, "/metadata/" + field, json.convertValue(desired.getMetadata(),
          com.fasterxml.jackson.databind.JsonNode.class).path(field));
    }
    PinPatch.add(ops, "/spec", json.convertValue(desired, com.fasterxml.jackson.databind.JsonNode.class).path("spec"));
    client.resource(live).patch(JSON_PATCH, ops.toString());
    return Change.UPDATED;
  }

  /** Creates a one-shot Job unless one of that name exists: the name carries what it does. */
  boolean createOnce(SqliteDatabase db, Job job, Optional<Job> cached) {
    if (cached.isPresent() || !mayWrite.getAsBoolean()) {
      return false;
    }
    own(db, job);
    try {
      client.resource(job).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the CronJob, if any, with the Jobs it started; true when there was one. */
  boolean deleteCronJob(String namespace, String name) {
    if (!mayWrite.getAsBoolean()) {
      return false;
    }
    return !client.batch().v1().cronjobs().inNamespace(namespace).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
  }

  /**
   * Deletes everything walguard runs for a database: its CronJob and its Jobs, each by name after listing them by
   * label. A DELETE of a whole collection would need the {@code deletecollection} verb; one by name needs only
   * {@code delete}. The Jobs go with propagationPolicy Background, so the garbage collector takes their pods and
   * walguard needs no right on pods beyond reading them. Kubernetes would collect all of it through the owner
   * references too; deleting it here does not wait for that.
   */
  void deleteAll(SqliteDatabase db, String cronJobName) {
    String ns = db.getMetadata().getNamespace();
    Map<String, String> labels = Map.of(OptInWatcher.MANAGED_BY, EventRecorder.COMPONENT,
        ToolboxResults.DATABASE_LABEL, db.getMetadata().getName());
    // The CronJob first, so that it starts no Job after the Jobs were listed.
    Set<String> cronJobs = new TreeSet<>();
    cronJobs.add(cronJobName);
    client.batch().v1().cronjobs().inNamespace(ns).withLabels(labels).list().getItems()
        .forEach(c -> cronJobs.add(c.getMetadata().getName()));
    cronJobs.forEach(name -> deleteCronJob(ns, name));
    for (Job job : client.batch().v1().jobs().inNamespace(ns).withLabels(labels).list().getItems()) {
      if (!mayWrite.getAsBoolean()) {
        return;
      }
      client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName())
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }

  private static void own(SqliteDatabase db, HasMetadata object) {
    object.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder()
        .withApiVersion(db.getApiVersion())
        .withKind(db.getKind())
        .withName(db.getMetadata().getName())
        .withUid(db.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build()));
  }

  private static String annotation(HasMetadata object) {
    var a = object.getMetadata().getAnnotations();
    return a == null ? null : a.get(SPEC_HASH);
  }

  private String hash(HasMetadata desired) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String json = client.getKubernetesSerialization().asJson(desired);
      return HexFormat.of().formatHex(sha.digest(json.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
