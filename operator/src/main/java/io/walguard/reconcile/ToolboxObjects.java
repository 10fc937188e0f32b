package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
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

  ToolboxObjects(KubernetesClient client) {
    this.client = client;
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
    if (hash.equals(annotation(live))) {
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
    if (cached.isPresent()) {
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

  /** Deletes the CronJob, if any; true when there was one. */
  boolean deleteCronJob(String namespace, String name) {
    return !client.batch().v1().cronjobs().inNamespace(namespace).withName(name).delete().isEmpty();
  }

  /**
   * Deletes everything walguard runs for a database: its CronJob, its Jobs and their pods. Kubernetes would collect
   * the Jobs and pods through their owners; deleting them here does not depend on a garbage collector.
   */
  void deleteAll(SqliteDatabase db, String cronJobName) {
    String ns = db.getMetadata().getNamespace();
    Map<String, String> labels = Map.of(OptInWatcher.MANAGED_BY, EventRecorder.COMPONENT,
        ToolboxResults.DATABASE_LABEL, db.getMetadata().getName());
    deleteCronJob(ns, cronJobName);
    client.resources(CronJob.class).inNamespace(ns).withLabels(labels).delete();
    client.resources(Job.class).inNamespace(ns).withLabels(labels).withPropagationPolicy(
        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    client.resources(Pod.class).inNamespace(ns).withLabels(labels).delete();
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
