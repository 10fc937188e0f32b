package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One admission request, as far as walguard reads it.
 *
 * @param uid the request's uid, echoed in the response
 * @param group the API group of the object's kind ({@code ""} for core)
 * @param version its API version
 * @param kind its kind, e.g. {@code Deployment}
 * @param resource the resource's plural name, e.g. {@code deployments} ({@code request.resource.resource})
 * @param subResource {@code request.subResource}, e.g. {@code scale}, or {@code ""}
 * @param operation {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code CONNECT}
 * @param namespace the request's namespace ({@code ""} for cluster-scoped objects)
 * @param name the object's name as the request gives it ({@code request.name}, else the object's own), for messages
 * @param dryRun whether the API server will not persist the object (then walguard records no Event)
 * @param username who asked, from {@code request.userInfo.username}
 * @param object the object as it would be stored, or null when walguard does not judge this kind
 * @param oldObject the object as it is now, on UPDATE
 */
public record Admission(
    String uid,
    String group,
    String version,
    String kind,
    String resource,
    String subResource,
    String operation,
    String namespace,
    String name,
    boolean dryRun,
    String username,
    HasMetadata object,
    HasMetadata oldObject) {

  public boolean createOrUpdate() {
    return "CREATE".equals(operation) || "UPDATE".equals(operation);
  }

  /** The same request about another object, as when a scale request is judged as an update of its workload. */
  public Admission about(String group, String version, String kind, String resource, HasMetadata object,
      HasMetadata oldObject) {
    return new Admission(uid, group, version, kind, resource, "", operation, namespace, name, dryRun, username,
        object, oldObject);
  }

  /** {@code Kind name}, the way warnings name the admitted object. */
  public String subject() {
    return WarningText.kindWord(kind) + " " + name;
  }
}
