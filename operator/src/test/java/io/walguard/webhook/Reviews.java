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

  static JsonNode response(String body) {
    try {
      return JSON.readTree(body).path("response");
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
