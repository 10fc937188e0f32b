package io.walguard.audit.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * JSON manifests (the examples as JSON streams, and JSON broken in the ways JSON breaks: duplicate keys, trailing
 * commas, comments, NaN, cut short) and {@code List} objects nested in each other.
 */
final class JsonFuzz {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFuzz() {}

  /** The Kubernetes examples as streams of JSON values: they must read exactly as their YAML. */
  static List<HostileInput> asJson(List<Examples.Example> examples, List<HostileInput> originals) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int e = 0; e < examples.size(); e++) {
      StringBuilder text = new StringBuilder();
      for (Object document : Trees.load(examples.get(e).text())) {
        text.append(write(document)).append('\n');
      }
      inputs.add(HostileInput.sameAs(originals.get(e), "JSON", examples.get(e).name() + " as a JSON stream",
          "json/example-" + e + ".json", ByteFuzz.utf8(text.toString())));
    }
    return inputs;
  }

  static List<HostileInput> broken(Random random, List<Examples.Example> examples) {
    String pvc = """
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": {"name": "data", "annotations": {"walguard.io/sqlite": "true"}},
         "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "local-path"}}
        """;
    List<HostileInput> inputs = new ArrayList<>();
    inputs.add(HostileInput.refused("JSON", "a duplicate key at the top", "json/dup-top.json",
        pvc.replace("\"kind\": \"PersistentVolumeClaim\",", "\"kind\": \"PersistentVolumeClaim\", \"kind\": \"Pod\","),
        "duplicate"));
    inputs.add(HostileInput.refused("JSON", "a duplicate key inside metadata", "json/dup-nested.json",
        pvc.replace("{\"name\": \"data\",", "{\"name\": \"data\", \"name\": \"other\","), "duplicate"));
    inputs.add(HostileInput.refused("JSON", "a duplicate annotation", "json/dup-annotation.json",
        pvc.replace("\"true\"}", "\"true\", \"walguard.io/sqlite\": \"false\"}"), "duplicate"));
    String yamlPvc = BombFuzz.PVC;
    inputs.add(HostileInput.refused("JSON", "YAML: a duplicate key at the top", "json/dup-top.yaml",
        yamlPvc + "kind: Pod\n", "duplicate key"));
    inputs.add(HostileInput.refused("JSON", "YAML: a duplicate key in a flow mapping", "json/dup-flow.yaml",
        yamlPvc.replace("{walguard.io/sqlite: \"true\"}", "{walguard.io/sqlite: \"true\", walguard.io/sqlite: x}"),
        "duplicate key"));
    inputs.add(HostileInput.refused("JSON", "Compose: a duplicate service", "json/dup/compose.yaml",
        BombFuzz.COMPOSE.replace("services:\n", "services:\n  app: {image: x}\n"), "duplicate key"));
    for (String[] broken : new String[][] {
        {"a trailing comma", pvc.replace("\"local-path\"}", "\"local-path\",}")},
        {"a comment", "// a comment\n" + pvc},
        {"a block comment", "/* a comment */\n" + pvc},
        {"single quotes", pvc.replace("\"v1\"", "'v1'")},
        {"an unquoted key", pvc.replace("\"spec\"", "spec")},
        {"NaN", pvc.replace("\"local-path\"", "NaN")},
        {"Infinity", pvc.replace("\"local-path\"", "-Infinity")},
        {"a leading zero", pvc.replace("\"local-path\"", "007")},
        {"a raw control character in a string", pvc.replace("\"data\"", "\"da\u0001ta\"")},
        {"YAML in a .json file", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"},
        {"a value after the stream", pvc + "]"},
        {"an unterminated string", "{\"apiVersion\": \"v1"}}) {
      inputs.add(HostileInput.refused("JSON", broken[0], "json/" + slug(broken[0]) + ".json", broken[1], "JSON"));
    }
    for (String[] odd : new String[][] {
        {"a number too large for an int", pvc.replace("\"local-path\"}", "\"local-path\", \"replicas\": 1e999}")},
        {"replicas of 30 digits", deployment("123456789012345678901234567890")},
        {"replicas of -0", deployment("-0")},
        {"replicas as a float", deployment("1.0000000001")},
        {"replicas as a string", deployment("\"2\"")},
        {"replicas as null", deployment("null")},
        {"an escaped NUL in a name", pvc.replace("\"data\"", "\"da\\u0000ta\"")},
        {"a lone surrogate escape", pvc.replace("\"data\"", "\"\\ud800\"")},
        {"an array of objects at the top", "[" + pvc + "]"},
        {"a stream of scalars", "1 \"two\" true null [] {}"},
        {"an empty file", ""},
        {"a BOM and an object", "\uFEFF" + pvc}}) {
      inputs.add(HostileInput.any("JSON", odd[0], "json/" + slug(odd[0]) + ".json", odd[1]));
    }
    List<Examples.Example> kubernetes = examples.stream().filter(e -> !e.compose()).toList();
    for (int i = 0; i < 24; i++) {
      Examples.Example example = kubernetes.get(i % kubernetes.size());
      String text = write(Trees.load(example.text()));
      int cut = random.nextInt(text.length());
      inputs.add(HostileInput.any("JSON", example.name() + " as JSON cut at " + cut, "json/cut-" + i + ".json",
          text.substring(0, cut)));
    }
    return inputs;
  }

  private static String deployment(String replicas) {
    return """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "app", "annotations": {"walguard.io/sqlite": "true"}},
         "spec": {"replicas": %s, "template": {"spec": {"containers": [{"name": "app", "image": "example/app"}],
           "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}}}
        """.formatted(replicas);
  }

  /** List objects inside List objects, typed and untyped, with odd items. */
  static List<HostileInput> listsOfLists(List<Examples.Example> examples, List<HostileInput> originals) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int e = 0; e < examples.size(); e++) {
      Examples.Example example = examples.get(e);
      if (example.compose()) {
        continue;
      }
      List<Object> documents = Trees.load(example.text());
      Object nested = list(List.of(list(documents.subList(0, 1)), list(List.of(list(documents.subList(1,
          documents.size()))))));
      inputs.add(HostileInput.sameAs(originals.get(e), "List of Lists", example.name() + " in Lists of Lists",
          "lists/nested-" + e + ".yaml", ByteFuzz.utf8(Trees.dump(List.of(nested)))));
      Object typed = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "PersistentVolumeClaimList",
          "items", List.of(list(documents))));
      inputs.add(HostileInput.any("List of Lists", example.name() + " in a List inside a PersistentVolumeClaimList",
          "lists/typed-" + e + ".yaml", Trees.dump(List.of(typed))));
    }
    Object deep = List.of(Trees.load(BombFuzz.PVC).get(0));
    Object wrapped = null;
    for (int depth = 1; depth <= 60; depth++) {
      wrapped = list(depth == 1 ? (List<?>) deep : List.of(wrapped));
      if (depth == 40) {
        inputs.add(HostileInput.verdict("List of Lists", "Lists 40 deep", "lists/deep-40.yaml",
            Trees.dump(List.of(wrapped))));
      }
    }
    inputs.add(HostileInput.refused("List of Lists", "Lists 60 deep (120 levels of nesting)", "lists/deep-60.yaml",
        Trees.dump(List.of(wrapped))));
    for (String[] odd : new String[][] {
        {"items null", "apiVersion: v1\nkind: List\nitems: null\n"},
        {"items a string", "apiVersion: v1\nkind: List\nitems: x\n"},
        {"items a mapping", "apiVersion: v1\nkind: List\nitems: {a: b}\n"},
        {"items of every type", "apiVersion: v1\nkind: List\nitems: [null, 1, x, [], {}, [[]], {kind: List}]\n"},
        {"a List without items", "apiVersion: v1\nkind: List\n"},
        {"a List without apiVersion", "kind: List\nitems: [" + flow(BombFuzz.PVC) + "]\n"},
        {"a typed List of the wrong kind", "apiVersion: v1\nkind: PodList\nitems: [{metadata: {name: x},"
            + " spec: {volumes: 5}}]\n"},
        {"a List kind that is not a list", "apiVersion: v1\nkind: ConfigMapList\nitems: [{metadata: {name: x},"
            + " data: [1]}]\n"},
        {"an item aliased 50 times", "apiVersion: v1\nkind: List\nitems: [&p " + flow(BombFuzz.PVC)
            + ", *p".repeat(49) + "]\n"},
        {"a JSON List of Lists", null}}) {
      if (odd[1] == null) {
        inputs.add(HostileInput.any("List of Lists", odd[0], "lists/json.json", write(list(List.of(list(List.of(
            Trees.load(BombFuzz.PVC).get(0))))))));
      } else {
        inputs.add(HostileInput.any("List of Lists", odd[0], "lists/" + slug(odd[0]) + ".yaml", odd[1]));
      }
    }
    StringBuilder many = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
    for (int i = 0; i < 500; i++) {
      many.append("- ").append(flow(BombFuzz.PVC.replace("name: data", "name: data-" + i))).append('\n');
    }
    inputs.add(HostileInput.verdict("List of Lists", "a List of 500 claims", "lists/many.yaml", many.toString()));
    return inputs;
  }

  private static Map<String, Object> list(List<?> items) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", new ArrayList<>(items));
    return list;
  }

  private static String flow(String yaml) {
    return write(Trees.load(yaml).get(0));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String slug(String name) {
    return name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }
}
