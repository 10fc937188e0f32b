package io.walguard.audit.fuzz;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Inputs that are valid YAML but the wrong shape: every field of every example given a value of the wrong type, values
 * at the edges of their range in the fields that decide (replicas, maxSurge, annotations ...), and examples whose trees
 * are cut and crossed with each other at random.
 */
final class ShapeFuzz {

  /** Stands for YAML null in the tables below, which cannot hold a Java null. */
  private static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A value of every kind, so that each field meets the types it does not expect. */
  private static final List<Object> WRONG_TYPES = List.of(
      "two", List.of(1, "x"), Map.of("a", "b"), NULL, new BigInteger("99999999999999999999999"), -3,
      "", List.of(), Map.of(), 2147483648L, 1.5, true, List.of(List.of(Map.of())));

  /**
   * How many of {@link #WRONG_TYPES} each field gets, in rotation, so that together the fields meet all of them; raise
   * {@code -Dwalguard.fuzz.scale} for more.
   */
  private static final int WRONG_TYPES_PER_FIELD = HostileManifestTest.SCALE;

  private static final List<Object> COUNTS = List.of(-1, -2147483648, 2147483647, 0, 2147483648L, "3", 1.5);
  private static final List<Object> BUDGETS = List.of("150%", "abc%", "%", "-5%", "1.5%", "99999999999999999999%",
      "2147483647%", "300000000000%", "0%", " 10% ", "10", "1e3", 2147483647, -1, "", List.of("25%"));
  private static final List<Object> ANNOTATION_VALUES = List.of(true, 1, List.of("true"), Map.of("a", "b"), NULL,
      " TRUE ", "yes", "x".repeat(5000));
  private static final List<Object> FILE_VALUES = List.of(5, "../x.db", "/var/lib/x.db", "a/../../b.db",
      "x".repeat(5000), List.of("a.db"), "", "   ");
  private static final List<Object> NAMES = List.of(5, List.of("x"), Map.of(), "", "UPPER_case", "a".repeat(300),
      "with space", "\u00e9", NULL, "line\nbreak", "tab\there");

  private ShapeFuzz() {}

  /**
   * Every field path of every kind in the examples (a path that several examples share, such as a Deployment's
   * {@code spec.template.spec.containers[0].image}, once), each given {@link #WRONG_TYPES_PER_FIELD} values of other
   * types.
   */
  static List<HostileInput> wrongTypes(List<Examples.Example> examples) {
    List<HostileInput> inputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int rotation = 0;
    for (Examples.Example example : examples) {
      List<Object> documents = Trees.load(example.text());
      for (int d = 0; d < documents.size(); d++) {
        String kind = example.compose() ? "Compose" : String.valueOf(((Map<?, ?>) documents.get(d)).get("kind"));
        for (List<Object> path : Trees.paths(documents.get(d))) {
          if (!seen.add(fieldOf(kind, path))) {
            continue;
          }
          for (int k = 0; k < WRONG_TYPES_PER_FIELD; k++) {
            Object wrong = WRONG_TYPES.get(rotation++ % WRONG_TYPES.size());
            inputs.add(replaced(example, documents, d, path, wrong, "wrong types", inputs.size()));
          }
        }
      }
    }
    return inputs;
  }

  /**
   * A field as the model reads it: metadata is the same for every kind, and so is a pod template for every workload;
   * list indexes do not matter.
   */
  private static String fieldOf(String kind, List<Object> path) {
    String dotted = Trees.dotted(path).replaceAll("\\[\\d+]", "[]");
    boolean shared = !kind.equals("Compose")
        && (dotted.equals("metadata") || dotted.startsWith("metadata.") || dotted.startsWith("spec.template."));
    return (shared ? "" : kind + " ") + dotted;
  }

  /**
   * The fields that decide the verdict, at and past the edges of their range: each value once, on a document of the
   * right kind taken from the examples in turn.
   */
  static List<HostileInput> edgeValues(List<Examples.Example> examples) {
    Map<String, List<Place>> byKind = new LinkedHashMap<>();
    for (Examples.Example example : examples) {
      List<Object> documents = Trees.load(example.text());
      for (int d = 0; d < documents.size(); d++) {
        String kind = example.compose() ? "Compose" : String.valueOf(((Map<?, ?>) documents.get(d)).get("kind"));
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Place(example, documents, d));
      }
    }
    List<HostileInput> inputs = new ArrayList<>();
    List<Place> objects = byKind.entrySet().stream().filter(e -> !e.getKey().equals("Compose"))
        .flatMap(e -> e.getValue().stream()).toList();
    each(objects, List.of("metadata", "annotations"), "walguard.io/sqlite", ANNOTATION_VALUES, inputs);
    each(objects, List.of("metadata", "annotations"), "walguard.io/sqlite-file", FILE_VALUES, inputs);
    each(objects, List.of("metadata"), "name", NAMES, inputs);
    each(objects, List.of("metadata"), "namespace", List.of(5, "", "a".repeat(300), "line\nbreak"), inputs);
    byKind.forEach((kind, places) -> {
      if (kind.equals("Compose")) {
        composeEdges(places, inputs);
      } else {
        kubernetesEdges(kind, places, inputs);
      }
    });
    return inputs;
  }

  /** A document of an example, to change. */
  private record Place(Examples.Example example, List<Object> documents, int index) {
    Map<?, ?> document() {
      return (Map<?, ?>) documents.get(index);
    }
  }

  /** Each value at {@code key} under {@code at}, on the places in turn. */
  private static void each(List<Place> places, List<Object> at, Object key, List<Object> values,
      List<HostileInput> inputs) {
    each(places, place -> at, key, values, inputs);
  }

  private static void each(List<Place> places, Function<Place, List<Object>> at, Object key, List<Object> values,
      List<HostileInput> inputs) {
    for (Object value : values) {
      Place place = places.get(inputs.size() % places.size());
      inputs.add(added(place.example(), place.documents(), place.index(), at.apply(place), key, value,
          inputs.size()));
    }
  }

  private static void kubernetesEdges(String kind, List<Place> places, List<HostileInput> inputs) {
    switch (kind) {
      case "Deployment", "StatefulSet", "ReplicaSet" -> {
        each(places, List.of("spec"), "replicas", COUNTS, inputs);
        if (kind.equals("StatefulSet")) {
          each(places, List.of("spec", "ordinals"), "start", COUNTS, inputs);
        }
        if (kind.equals("Deployment")) {
          each(places, List.of("spec", "strategy", "rollingUpdate"), "maxSurge", BUDGETS, inputs);
          each(places, List.of("spec", "strategy", "rollingUpdate"), "maxUnavailable",
              List.of("150%", "abc%", "-5%", "0", 0, List.of()), inputs);
        }
      }
      case "SqliteDatabase" -> {
        each(places, List.of("spec"), "file", FILE_VALUES, inputs);
        each(places, List.of("spec"), "claimName", NAMES, inputs);
        each(places, List.of("spec", "checkpoint"), "schedule",
            List.of("", "* * * *", "@never", 5, "0 0 * * * *", "x".repeat(3000), "*/5 * * * *\n"), inputs);
        each(places, List.of("spec", "checkpoint"), "walSizeLimit",
            List.of("0", "-1Mi", "abc", 5, "1e400", "99999999999999999999999Ei", "0.0001m"), inputs);
      }
      default -> {
      }
    }
  }

  /** Compose fields, on the first service of each Compose example in turn. */
  private static void composeEdges(List<Place> places, List<HostileInput> inputs) {
    List<Place> withServices = places.stream().filter(p -> p.document().get("services") instanceof Map<?, ?>).toList();
    if (withServices.isEmpty()) {
      return;
    }
    each(withServices, service("deploy"), "replicas", COUNTS, inputs);
    each(withServices, service(), "scale", COUNTS, inputs);
    each(withServices, service("deploy"), "mode", List.of(5, "weird", "global", List.of("global"), NULL), inputs);
    each(withServices, service("deploy", "placement"), "constraints", List.of("node.hostname == a", List.of(5),
        List.of("node.hostname=="), List.of("x"), List.of(NULL), List.of("node.ip == 10.0.0.0/8")), inputs);
    each(withServices, service("labels"), "walguard.io/sqlite", ANNOTATION_VALUES, inputs);
    each(withServices, service(), "volumes", List.of(5, List.of(5), List.of(NULL), List.of(Map.of()), List.of(":"),
        List.of("a:b:c:d"), List.of(Map.of("type", "bind")), List.of(Map.of("type", 5, "source", List.of()))),
        inputs);
    each(withServices, place -> List.of(), "x-walguard", List.of(5, List.of(5), Map.of("databases", 5),
        Map.of("databases", List.of(5)), Map.of("databases", List.of(Map.of("volume", List.of()))),
        Map.of("other", 1), Map.of("databases", List.of(Map.of("volume", "notes-data", "storage", "weird")))),
        inputs);
    each(withServices, place -> List.of(), "name", List.of(5, "", "UPPER", "a b", List.of(), "x\ny"), inputs);
  }

  /** The path of the place's first service, then {@code under}. */
  private static Function<Place, List<Object>> service(String... under) {
    return place -> {
      List<Object> path = new ArrayList<>(List.of("services",
          ((Map<?, ?>) place.document().get("services")).keySet().iterator().next()));
      path.addAll(List.of(under));
      return path;
    };
  }

  /**
   * Examples whose trees are changed at one to three random places: a key deleted or renamed, a value replaced by a
   * random tree or by a subtree of another example.
   */
  static List<HostileInput> treeMutations(Random random, List<Examples.Example> examples, int count) {
    List<List<Object>> loaded = examples.stream().map(e -> Trees.load(e.text())).toList();
    List<HostileInput> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int e = i % examples.size();
      Examples.Example example = examples.get(e);
      List<Object> documents = new ArrayList<>(loaded.get(e));
      int changes = 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        int d = random.nextInt(documents.size());
        List<List<Object>> paths = Trees.paths(documents.get(d));
        if (paths.isEmpty()) {
          continue;
        }
        List<Object> path = paths.get(random.nextInt(paths.size()));
        Object value = switch (random.nextInt(4)) {
          case 0 -> randomTree(random, 3);
          case 1 -> {
            List<Object> donor = loaded.get(random.nextInt(loaded.size()));
            Object root = donor.get(random.nextInt(donor.size()));
            List<List<Object>> donorPaths = Trees.paths(root);
            yield donorPaths.isEmpty() ? root : Trees.at(root, donorPaths.get(random.nextInt(donorPaths.size())));
          }
          case 2 -> NULL;
          default -> scalar(random);
        };
        documents.set(d, Trees.with(documents.get(d), path, plain(value)));
      }
      DumperOptions.FlowStyle style = TextFuzz.pick(random, List.of(DumperOptions.FlowStyle.values()));
      String text = Trees.dump(documents, style, 2 + random.nextInt(3));
      inputs.add(HostileInput.any("tree mutations", example.name() + " changed in " + changes + " places",
          TextFuzz.path("trees", i, example.compose()), text.getBytes(StandardCharsets.UTF_8)));
    }
    return inputs;
  }

  private static Object randomTree(Random random, int depth) {
    if (depth == 0 || random.nextInt(3) == 0) {
      return scalar(random);
    }
    int size = random.nextInt(4);
    if (random.nextBoolean()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        list.add(randomTree(random, depth - 1));
      }
      return list;
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(TextFuzz.pick(random, List.of("name", "spec", "replicas", "claimName", "volumes", "kind", "items",
          "image", "labels", "annotations", "driver", "deploy", "x", "1")), randomTree(random, depth - 1));
    }
    return map;
  }

  private static Object scalar(Random random) {
    return TextFuzz.pick(random, Arrays.asList("data", "", "true", true, false, 0, -1, 3, 2147483647,
        new BigInteger("123456789012345678901234567890"), 0.5, Double.NaN, "25%", "walguard.io/sqlite", "../x",
        "\u0000", NULL));
  }

  private static HostileInput replaced(Examples.Example example, List<Object> documents, int d, List<Object> path,
      Object wrong, String category, int index) {
    List<Object> changed = new ArrayList<>(documents);
    changed.set(d, Trees.with(documents.get(d), path, plain(wrong)));
    return input(example, changed, category, Trees.dotted(path) + " = " + describe(wrong), index);
  }

  /** The example with {@code key: value} added to the mapping at {@code at} (created when missing). */
  private static HostileInput added(Examples.Example example, List<Object> documents, int d, List<Object> at,
      Object key, Object value, int index) {
    List<Object> changed = new ArrayList<>(documents);
    changed.set(d, Trees.withKey(documents.get(d), at, key, plain(value)));
    List<Object> path = new ArrayList<>(at);
    path.add(key);
    return input(example, changed, "edge values", Trees.dotted(path) + " = " + describe(value), index);
  }

  private static HostileInput input(Examples.Example example, List<Object> documents, String category, String what,
      int index) {
    String text = Trees.dump(documents);
    String family = category.equals("wrong types") ? "types" : "edges";
    return HostileInput.any(category, example.name() + ": " + what, TextFuzz.path(family, index, example.compose()),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** The value as SnakeYAML can write it: {@link #NULL} becomes null, at any depth. */
  private static Object plain(Object value) {
    if (value == NULL) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, plain(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(plain(item)));
      return out;
    }
    return value;
  }

  private static String describe(Object value) {
    String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return text.length() > 40 ? text.substring(0, 37) + "..." + " (" + text.length() + " chars)" : text;
  }
}
