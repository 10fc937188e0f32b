package io.walguard.sqlite.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The pod's termination message: the report as compact JSON, cut to Kubernetes' 4096-byte limit by shortening the
 * longest texts (then dropping trailing list entries) rather than by cutting bytes, so what the operator reads is
 * always one valid JSON document. A shortened report carries {@code "truncated": true}.
 */
public final class TerminationLog {

  /** The kubelet keeps at most this many bytes of a termination message. */
  public static final int LIMIT_BYTES = 4096;
  /** Where the kubelet mounts the termination message file in every container. */
  public static final Path POD_PATH = Path.of("/dev/termination-log");
  private static final int SHORTEST_CUT = 48;
  private static final String ELLIPSIS = "\u2026";

  private TerminationLog() {}

  /** The explicit path when given, else the pod's file when it exists and is writable (we run in a pod), else null. */
  public static Path resolve(Path explicit, Path podPath) {
    if (explicit != null) return explicit;
    return Files.isRegularFile(podPath) && Files.isWritable(podPath) ? podPath : null;
  }

  public static void write(Path target, ObjectMapper mapper, JsonNode report) throws IOException {
    Files.write(target, fit(mapper, report, LIMIT_BYTES));
  }

  /** The report as compact JSON of at most {@code limit} bytes. */
  public static byte[] fit(ObjectMapper mapper, JsonNode report, int limit) {
    byte[] bytes = bytes(mapper, report);
    if (bytes.length <= limit) return bytes;
    ObjectNode doc = report.isObject() ? ((ObjectNode) report).deepCopy() : mapper.createObjectNode().set("report", report);
    doc.put("truncated", true);
    while (true) {
      bytes = bytes(mapper, doc);
      if (bytes.length <= limit) return bytes;
      if (!shortenLongestText(doc) && !dropFromLongestArray(doc)) break;
    }
    return bytes(mapper, minimal(mapper, report));
  }

  /** Halves the longest text (not below {@value #SHORTEST_CUT} characters); false when none is long enough. */
  private static boolean shortenLongestText(JsonNode root) {
    Holder longest = new Holder();
    visit(root, longest);
    if (longest.container == null || longest.length <= SHORTEST_CUT) return false;
    String text = longest.text;
    int keep = Math.max(SHORTEST_CUT, text.codePointCount(0, text.length()) / 2);
    String cut = text.substring(0, text.offsetByCodePoints(0, keep)) + ELLIPSIS;
    longest.replace(new TextNode(cut));
    return true;
  }

  private static boolean dropFromLongestArray(JsonNode root) {
    ArrayNode[] longest = new ArrayNode[1];
    walkArrays(root, longest);
    if (longest[0] == null || longest[0].isEmpty()) return false;
    longest[0].remove(longest[0].size() - 1);
    return true;
  }

  private static void walkArrays(JsonNode node, ArrayNode[] longest) {
    if (node.isArray()) {
      if (longest[0] == null || node.size() > longest[0].size()) longest[0] = (ArrayNode) node;
    }
    for (JsonNode child : node) walkArrays(child, longest);
  }

  private static void visit(JsonNode node, Holder longest) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getValue().isTextual()) longest.consider((ObjectNode) node, f.getKey(), -1, f.getValue().asText());
        else visit(f.getValue(), longest);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode v = node.get(i);
        if (v.isTextual()) longest.consider(node, null, i, v.asText());
        else visit(v, longest);
      }
    }
  }

  private static ObjectNode minimal(ObjectMapper mapper, JsonNode report) {
    ObjectNode m = mapper.createObjectNode();
    for (String key : new String[] {"command", "outcome", "exitCode", "busy", "time"}) {
      JsonNode v = report.get(key);
      if (v != null && v.isValueNode() && v.asText().length() <= SHORTEST_CUT) m.set(key, v);
    }
    String message = report.path("message").asText("");
    if (message.codePointCount(0, message.length()) > 200) message = message.substring(0, message.offsetByCodePoints(0, 200)) + ELLIPSIS;
    m.put("message", message);
    m.put("truncated", true);
    return m;
  }

  private static byte[] bytes(ObjectMapper mapper, JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static final class Holder {
    JsonNode container;
    String key;
    int index;
    String text;
    int length = -1;

    void consider(JsonNode container, String key, int index, String text) {
      if (text.length() > length) {
        this.container = container;
        this.key = key;
        this.index = index;
        this.text = text;
        this.length = text.length();
      }
    }

    void replace(TextNode value) {
      if (key != null) ((ObjectNode) container).set(key, value);
      else ((ArrayNode) container).set(index, value);
    }
  }
}
