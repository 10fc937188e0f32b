package io.walguard.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A single-replica RollingUpdate Deployment surges a new pod next to the old one: during the rollout that the pin
 * itself starts, the old pod still runs on its node while the new one starts on the pinned node. {@code maxSurge: 0}
 * stops the old pod first. {@code maxUnavailable} must then be at least 1, or the rollout could never progress.
 */
final class Rollout {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String DEFAULT = "25%";

  /** The rollout before and after, for the Event. */
  record Change(String before, String after) {}

  /** The spec operations and the annotation entry that make the rollout non-overlapping, if it can overlap. */
  record Guard(Change change, String annotationValue) {}

  private Rollout() {}

  /** Adds to {@code ops} what makes a one-replica Deployment's rollout non-overlapping; empty if it already is. */
  static Optional<Guard> guard(JsonNode deployment, ArrayNode ops) {
    JsonNode strategy = deployment.at("/spec/strategy");
    String type = strategy.path("type").asText("RollingUpdate");
    if (!"RollingUpdate".equals(type)) {
      return Optional.empty();
    }
    JsonNode rolling = strategy.path("rollingUpdate");
    JsonNode surge = rolling.path("maxSurge");
    JsonNode unavailable = rolling.path("maxUnavailable");
    if (resolve(surge, true) == 0) {
      return Optional.empty();
    }
    boolean unavailableZero = resolve(unavailable, false) == 0;
    if (!strategy.isObject()) {
      ObjectNode created = JSON.objectNode().put("type", "RollingUpdate");
      created.putObject("rollingUpdate").put("maxSurge", 0).put("maxUnavailable", 1);
      PinPatch.add(ops, "/spec/strategy", created);
    } else if (!rolling.isObject()) {
      ObjectNode created = JSON.objectNode().put("maxSurge", 0).put("maxUnavailable", 1);
      PinPatch.add(ops, "/spec/strategy/rollingUpdate", created);
    } else {
      PinPatch.add(ops, "/spec/strategy/rollingUpdate/maxSurge", IntNode.valueOf(0));
      if (unavailableZero) {
        PinPatch.add(ops, "/spec/strategy/rollingUpdate/maxUnavailable", IntNode.valueOf(1));
      }
    }
    String before = "maxSurge " + text(surge) + ", maxUnavailable " + text(unavailable);
    String after = "maxSurge 0, maxUnavailable " + (unavailableZero ? "1" : text(unavailable));
    String saved = strategy.isObject() ? strategy.toString() : "null";
    return Optional.of(new Guard(new Change(before, after), saved));
  }

  /**
   * Puts the saved strategy back, when the Deployment still has the rollout walguard set (a user who changed it since
   * keeps their change). True when the strategy is restored.
   */
  static boolean restore(JsonNode deployment, ArrayNode ops) {
    String saved = PinPatch.annotation(deployment, PinAnnotations.ROLLOUT_BEFORE_PIN);
    if (saved == null) {
      return false;
    }
    JsonNode original;
    try {
      original = MAPPER.readTree(saved);
    } catch (JsonProcessingException e) {
      return false;
    }
    JsonNode rolling = deployment.at("/spec/strategy/rollingUpdate");
    boolean stillOurs = rolling.isObject() && resolve(rolling.path("maxSurge"), true) == 0
        && resolve(rolling.path("maxUnavailable"), false) == expectedUnavailable(original);
    if (!stillOurs) {
      return false;
    }
    if (original == null || original.isNull() || original.isMissingNode()) {
      PinPatch.remove(ops, "/spec/strategy");
    } else {
      PinPatch.replace(ops, "/spec/strategy", original);
    }
    return true;
  }

  private static int expectedUnavailable(JsonNode original) {
    JsonNode unavailable = original == null ? JSON.missingNode()
        : original.path("rollingUpdate").path("maxUnavailable");
    int resolved = resolve(unavailable, false);
    return resolved == 0 ? 1 : resolved;
  }

  /** An IntOrString of a one-replica Deployment: a percentage rounds up for maxSurge and down for maxUnavailable. */
  static int resolve(JsonNode value, boolean roundUp) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return resolve(JSON.textNode(DEFAULT), roundUp);
    }
    if (value.isNumber()) {
      return value.asInt();
    }
    String text = value.asText().trim();
    if (text.endsWith("%")) {
      try {
        double percent = Double.parseDouble(text.substring(0, text.length() - 1));
        return (int) (roundUp ? Math.ceil(percent / 100.0) : Math.floor(percent / 100.0));
      } catch (NumberFormatException e) {
        return roundUp ? 1 : 0;
      }
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return roundUp ? 1 : 0;
    }
  }

  private static String text(JsonNode value) {
    return value == null || value.isMissingNode() || value.isNull() ? DEFAULT + " (default)" : value.asText();
  }
}
