package io.walguard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code meta.k8s.io/v1} Table of custom resources, as an API server builds it from the CRD's
 * additionalPrinterColumns for {@code kubectl get}: a Name column, then one column per printer column, each cell the
 * value at the column's JSON path (dotted fields, as walguard's CRD uses), {@code date} columns as an age.
 */
final class PrinterColumns {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PrinterColumns() {}

  /** The Table for a list ({@code items}) or a single object. */
  static ObjectNode table(JsonNode columns, JsonNode listOrObject, Instant now) {
    ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", listOrObject.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.addObject().put("name", "Name").put("type", "string").put("format", "name").put("priority", 0)
        .put("description", "Name must be unique within a namespace.");
    for (JsonNode column : columns) {
      definitions.addObject().put("name", column.path("name").asText()).put("type", column.path("type").asText())
          .put("format", column.path("format").asText("")).put("priority", column.path("priority").asInt(0))
          .put("description", column.path("description").asText(""));
    }
    List<JsonNode> objects = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.path("items").forEach(objects::add);
    } else {
      objects.add(listOrObject);
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.path("metadata").path("name").asText());
      for (JsonNode column : columns) {
        JsonNode value = at(object, column.path("jsonPath").asText());
        if (value == null || value.isNull() || value.isMissingNode()) {
          cells.add("");
        } else if ("date".equals(column.path("type").asText())) {
          cells.add(age(value.asText(), now));
        } else if (value.isContainerNode()) {
          cells.add(value.toString());
        } else {
          cells.add(value.asText());
        }
      }
      row.set("object", object);
    }
    return table;
  }

  /** The value at a dotted JSON path such as {@code .status.lastCheckpoint.time}, or null. */
  static JsonNode at(JsonNode object, String jsonPath) {
    JsonNode node = object;
    for (String field : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
      node = node == null ? null : node.get(field);
    }
    return node;
  }

  /** An age as kubectl shows it: 45s, 12m, 5h, 3d. */
  static String age(String timestamp, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), now);
      if (d.isNegative()) {
        return "0s";
      }
      long s = d.toSeconds();
      return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }
}
