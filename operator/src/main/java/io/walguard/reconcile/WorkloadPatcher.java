package io.walguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.walguard.core.Annotations;
import java.net.HttpURLConnection;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends walguard's JSON patches to workloads, with the resourceVersion they were computed from as a precondition.
 *
 * <p>A patch is planned against the workload as read just before; when the API server answers 409 (someone changed
 * the workload since), the workload is read again and the patch planned anew against what is there now, so a
 * concurrent edit by a user is built upon, never overwritten. JSON patch paths carry list indexes, which is exactly why the
 * precondition matters.
 */
final class WorkloadPatcher {

  static final int ATTEMPTS = 5;
  private static final Logger log = LoggerFactory.getLogger(WorkloadPatcher.class);
  private static final PatchContext JSON_PATCH = new PatchContext.Builder()
      .withPatchType(PatchType.JSON).withFieldManager(Annotations.FIELD_MANAGER).build();

  /** What a patch planned by a replica that has lost the leader Lease reports; nothing was sent. */
  static final String NOT_LEADING = "this walguard replica lost the leader Lease and writes nothing more; the next"
      + " leader takes over";

  private final KubernetesClient client;
  private final BooleanSupplier mayWrite;

  /** @param mayWrite checked right before every write: a replica that lost its Lease sends none */
  WorkloadPatcher(KubernetesClient client, BooleanSupplier mayWrite) {
    this.client = client;
    this.mayWrite = mayWrite;
  }

  /**
   * The result of one patch.
   *
   * @param plan the plan that was sent (or found empty), null when the workload is gone or the patch failed
   * @param updated the workload as the API server returned it, when a patch was sent
   * @param error what went wrong, in words for status and Events, or null
   * @param code the HTTP status of the failure, 0 otherwise
   */
  record Result<P>(P plan, HasMetadata updated, String error, int code) {
    boolean failed() {
      return error != null;
    }
  }

  /**
   * Plans against {@code cached}; when that plan changes something, reads the workload, plans again on it and sends
   * the operations, and re-plans after a conflict.
   *
   * <p>The cache is pruned (it lacks kubectl's last-applied annotation): a patch planned on it could drop what it
   * does not show, and the resourceVersion precondition would not notice, since pruning does not change it. So the
   * cache only says whether there is anything to do; what is sent is planned on the object as the server has it.
   *
   * @param planner the plan for the workload as JSON
   * @param opsOf the JSON patch operations of a plan (empty: nothing to do)
   */
  <P> Result<P> patch(HasMetadata cached, Function<JsonNode, P> planner, Function<P, ArrayNode> opsOf) {
    P cachedPlan = planner.apply(client.getKubernetesSerialization().convertValue(cached, JsonNode.class));
    if (opsOf.apply(cachedPlan).isEmpty()) {
      return new Result<>(cachedPlan, null, null, 0);
    }
    HasMetadata current;
    try {
      current = client.resource(cached).get();
    } catch (KubernetesClientException e) {
      return new Result<>(null, null, describe(cached, e), e.getCode());
    }
    for (int attempt = 1; current != null && attempt <= ATTEMPTS; attempt++) {
      JsonNode json = client.getKubernetesSerialization().convertValue(current, JsonNode.class);
      P plan = planner.apply(json);
      ArrayNode ops = opsOf.apply(plan);
      if (ops.isEmpty()) {
        return new Result<>(plan, null, null, 0);
      }
      ArrayNode patch = JsonNodeFactory.instance.arrayNode();
      PinPatch.replace(patch, "/metadata/resourceVersion",
          JsonNodeFactory.instance.textNode(current.getMetadata().getResourceVersion()));
      patch.addAll(ops);
      if (!mayWrite.getAsBoolean()) {
        return new Result<>(null, null, NOT_LEADING, 0);
      }
      try {
        // The watch event of this write is not filtered as walguard's own: it wakes the database again, so the
        // next verdict sees the patched workload.
        HasMetadata updated = client.resource(current).patch(JSON_PATCH, patch.toString());
        return new Result<>(plan, updated, null, 0);
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
          log.debug("{} changed while walguard patched it; reading it again (attempt {})", Workloads.ref(current),
              attempt);
          current = client.resource(current).get();
          continue;
        }
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return gone(current);
        }
        return new Result<>(null, null, describe(current, e), e.getCode());
      }
    }
    if (current == null) {
      return gone(cached);
    }
    return new Result<>(null, null, Workloads.ref(current) + " kept changing while walguard patched it ("
        + ATTEMPTS + " conflicts in a row); walguard tries again at the next reconciliation", 409);
  }

  private static <P> Result<P> gone(HasMetadata workload) {
    return new Result<>(null, null, null, 404);
  }

  /** A refused patch in words a person can act on. */
  static String describe(HasMetadata workload, KubernetesClientException e) {
    String ref = Workloads.ref(workload);
    String ns = workload.getMetadata().getNamespace();
    String resource = workload.getKind().toLowerCase(java.util.Locale.ROOT) + "s";
    String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    return switch (e.getCode()) {
      case HttpURLConnection.HTTP_FORBIDDEN -> "walguard may not patch " + ref + " (HTTP 403: " + detail
          + "): grant the operator's ServiceAccount patch on " + resource + " in namespace " + ns;
      case 422 -> "the API server refused walguard's patch of " + ref + " (HTTP 422: " + detail + ")";
      default -> "walguard could not patch " + ref + " (HTTP " + e.getCode() + ": " + detail + ")";
    };
  }
}
