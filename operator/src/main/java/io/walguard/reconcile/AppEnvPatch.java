package io.walguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walguard.core.Annotations;
import java.util.List;

/**
 * The JSON patch that sets an application's own journal switch (an app profile's environment variable) in every
 * container of a workload's pod template, touching only that variable, and the one that takes it out again. The
 * workload carries {@link #ANNOTATION} ({@code NAME=value}) so walguard finds what it set when the database goes.
 */
final class AppEnvPatch {

  static final String ANNOTATION = Annotations.PREFIX + "journal-env";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AppEnvPatch() {}

  static ArrayNode set(JsonNode workload, String kind, String name, String value) {
    ArrayNode ops = JSON.arrayNode();
    String base = PinPatch.podSpecPath(kind) + "/containers";
    JsonNode containers = workload.at(base);
    if (!containers.isArray()) {
      return ops;
    }
    for (int i = 0; i < containers.size(); i++) {
      JsonNode env = containers.get(i).path("env");
      String path = base + "/" + i + "/env";
      ObjectNode entry = JSON.objectNode().put("name", name).put("value", value);
      if (!env.isArray()) {
        PinPatch.add(ops, path, JSON.arrayNode().add(entry));
        continue;
      }
      int at = indexOf(env, name);
      if (at < 0) {
        PinPatch.add(ops, path + "/-", entry);
      } else if (!value.equals(env.get(at).path("value").asText(null)) || env.get(at).has("valueFrom")) {
        PinPatch.replace(ops, path + "/" + at, entry);
      }
    }
    if (!ops.isEmpty() || !(name + "=" + value).equals(PinPatch.annotation(workload, ANNOTATION))) {
      PinPatch.setAnnotations(workload, ops, List.<String[]>of(new String[] {ANNOTATION, name + "=" + value}));
    }
    return ops;
  }

  /** Takes out what {@link #set} added, if the annotation says walguard set it; empty otherwise. */
  static ArrayNode unset(JsonNode workload, String kind) {
    ArrayNode ops = JSON.arrayNode();
    String mark = PinPatch.annotation(workload, ANNOTATION);
    if (mark == null || !mark.contains("=")) {
      return ops;
    }
    String name = mark.substring(0, mark.indexOf('='));
    String value = mark.substring(mark.indexOf('=') + 1);
    String base = PinPatch.podSpecPath(kind) + "/containers";
    JsonNode containers = workload.at(base);
    if (containers.isArray()) {
      for (int i = 0; i < containers.size(); i++) {
        JsonNode env = containers.get(i).path("env");
        int at = env.isArray() ? indexOf(env, name) : -1;
        if (at >= 0 && value.equals(env.get(at).path("value").asText(null))) {
          PinPatch.remove(ops, base + "/" + i + "/env/" + at);
        }
      }
    }
    PinPatch.removeAnnotations(workload, ops, List.of(ANNOTATION));
    return ops;
  }

  private static int indexOf(JsonNode env, String name) {
    for (int i = 0; i < env.size(); i++) {
      if (name.equals(env.get(i).path("name").asText(null))) {
        return i;
      }
    }
    return -1;
  }
}
