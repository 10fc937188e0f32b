package io.walguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/** What every answer of the webhook must be: a well-formed AdmissionReview response, or a 4xx with a Status. */
final class ResponseCheck {

  private ResponseCheck() {}

  /** Null when the answer is acceptable, else what is wrong with it. */
  static String problem(int status, byte[] body) {
    JsonNode json;
    try {
      json = Reviews.JSON.readTree(body);
    } catch (java.io.IOException e) {
      return "HTTP " + status + " with a body that is not JSON";
    }
    if (status == 200) {
      JsonNode r = json.path("response");
      if (!"admission.k8s.io/v1".equals(json.path("apiVersion").asText())
          || !"AdmissionReview".equals(json.path("kind").asText())) {
        return "200 without an AdmissionReview";
      }
      if (!r.path("uid").isTextual() || r.path("uid").asText().isEmpty() || !r.path("allowed").isBoolean()) {
        return "200 without uid or allowed";
      }
      for (JsonNode w : r.path("warnings")) {
        if (!w.isTextual() || w.asText().length() >= 120) {
          return "warning of " + w.asText().length() + " characters: " + w.asText();
        }
      }
      if (!r.path("allowed").asBoolean() && r.path("status").path("message").asText("").isEmpty()) {
        return "refusal without a message";
      }
      return null;
    }
    if (status >= 400 && status < 500) {
      return "Status".equals(json.path("kind").asText()) && !json.path("message").asText("").isEmpty() ? null
          : status + " without a Status message";
    }
    return "HTTP " + status;
  }
}
