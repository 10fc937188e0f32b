package io.walguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.UUID;

/** AdmissionReview request documents as the API server writes them, and readers for the responses. */
final class Reviews {

  static final ObjectMapper JSON = new ObjectMapper();

  private Reviews() {}

  static String create(HasMetadata object) {
    return review("CREATE", object, null, "jane");
  }

  static String update(HasMetadata oldObject, HasMetadata object) {
    return review("UPDATE", object, oldObject, "jane");
  }

  static String review(String operation, HasMetadata object, HasMetadata oldObject, String user) {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString());
    String apiVersion = object.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    request.putObject("kind").put("group", group).put("version", version).put("kind", object.getKind());
    request.putObject("resource").put("group", group).put("version", version)
        .put("resource", object.getKind().toLowerCase() + "s");
    if (object.getMetadata().getName() != null) {
      request.put("name", object.getMetadata().getName());
    }
    if (object.getMetadata().getNamespace() != null) {
      request.put("namespace", object.getMetadata().getNamespace());
    }
    request.put("operation", operation);
    request.putObject("userInfo").put("username", user);
    request.set("object", JSON.valueToTree(object));
    if (oldObject != null) {
      request.set("oldObject", JSON.valueToTree(oldObject));
    }
    request.put("dryRun", false);
    return review.toString();
  }

  /**
   * A request on a workload's scale subresource, as {@code kubectl scale} or an autoscaler causes it: an
   * {@code autoscaling/v1} Scale for resource {@code apps/v1 <resource>}.
   */
  static String scale(String resource, String namespace, String name, int oldReplicas, int replicas, String user) {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString());
    request.putObject("kind").put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
    request.putObject("resource").put("group", "apps").put("version", "v1").put("resource", resource);
    request.put("subResource", "scale").put("name", name).put("namespace", namespace).put("operation", "UPDATE");
    request.putObject("userInfo").put("username", user);
    request.set("object", scaleObject(namespace, name, replicas));
    request.set("oldObject", scaleObject(namespace, name, oldReplicas));
    request.put("dryRun", false);
    return review.toString();
  }

  private static ObjectNode scaleObject(String namespace, String name, int replicas) {
    ObjectNode scale = JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
    scale.putObject("metadata").put("name", name).put("namespace", namespace);
    scale.putObject("spec").put("replicas", replicas);
    scale.putObject("status").put("replicas", replicas);
    return scale;
  }

  static JsonNode response(String body) {
    try {
      return JSON.readTree(body).path("response");
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
