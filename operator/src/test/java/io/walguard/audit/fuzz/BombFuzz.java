package io.walguard.audit.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Inputs that cost: alias bombs (billion laughs, doubling chains, merge-key bombs, scalar floods), anchors that contain
 * themselves, nesting thousands deep, documents near and over the size limits, and files with very many documents.
 */
final class BombFuzz {

  private BombFuzz() {}

  static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        annotations: {walguard.io/sqlite: "true"}
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: local-path
      """;

  static final String COMPOSE = """
      name: bomb
      services:
        app:
          image: example/app
          volumes: ["data:/data"]
      volumes:
        data:
          labels: {walguard.io/sqlite: "true"}
      """;

  static List<HostileInput> aliasBombs() {
    List<HostileInput> inputs = new ArrayList<>();
    for (boolean compose : new boolean[] {false, true}) {
      String where = compose ? "Compose " : "";
      inputs.add(bomb(compose, where + "billion laughs, 9 levels of 10 lists", laughs(9, 10, false)));
      inputs.add(bomb(compose, where + "billion laughs, 9 levels of 10 mappings", laughs(9, 10, true)));
      inputs.add(bomb(compose, where + "doubling chain of 25 lists within the alias limit", laughs(25, 2, false)));
      inputs.add(bomb(compose, where + "doubling chain of 25 mappings within the alias limit", laughs(25, 2, true)));
      inputs.add(bomb(compose, where + "a list holding itself", "x-loop: &a [1, *a]\n"));
      inputs.add(bomb(compose, where + "a mapping holding itself", "x-loop: &a {self: *a}\n"));
      // Compose reads a mapping that merges itself as the mapping without the merge; manifests refuse it.
      String selfMerge = "x-loop: &a {<<: *a, k: 1}\n";
      String selfMergeList = "x-loop: &a {<<: [*a], k: 1}\n";
      inputs.add(compose ? merged(true, where + "a mapping merging itself", selfMerge)
          : bomb(false, "a mapping merging itself", selfMerge));
      inputs.add(compose ? merged(true, where + "a mapping merging itself in a list", selfMergeList)
          : bomb(false, "a mapping merging itself in a list", selfMergeList));
      inputs.add(bomb(compose, where + "a mapping merging its parent", "x-loop: &a {inner: {<<: *a}}\n"));
      inputs.add(bomb(compose, where + "a key holding itself", "x-loop: &a {? *a : 1}\n"));
      inputs.add(bomb(compose, where + "an alias of an anchor never defined", "x-loop: *nowhere\n"));
      inputs.add(merged(compose, where + "merge-key bomb: 50 merges of a 1000-key mapping", mergeBomb(50, 1000)));
      inputs.add(merged(compose, where + "merge-key chain: 40 levels merging the last twice", mergeChain(40)));
      inputs.add(merged(compose, where + "10000 aliases of a 100 KiB scalar", scalarFlood(10_000, 100 * 1024)));
    }
    inputs.add(bomb(true, "Compose 1000 aliases per level, 3 levels", laughs(3, 333, false)));
    // Each anchor within the nesting limit, but through the aliases thousands of levels deep.
    inputs.add(HostileInput.refused("alias bombs", "an alias chain 50 long, each anchor 90 levels deep",
        "bombs/deep-chain.yaml", PVC + "---\n" + deepChain(50, 90, false), "levels"));
    inputs.add(HostileInput.refused("alias bombs", "Compose alias chain 450 long, each anchor 60 levels deep, in two"
        + " documents that Compose merges", "bombs/deep-chain/compose.yaml",
        COMPOSE + deepChain(450, 60, true) + "---\n" + deepChain(450, 60, true), "levels"));
    return inputs;
  }

  private static HostileInput bomb(boolean compose, String name, String body) {
    String text = (compose ? COMPOSE : PVC + "---\n") + body;
    return HostileInput.refused("alias bombs", name, path("bombs", name, compose), text);
  }

  private static HostileInput merged(boolean compose, String name, String body) {
    String text = (compose ? COMPOSE : PVC + "---\n") + body;
    return HostileInput.any("alias bombs", name, path("bombs", name, compose), text);
  }

  /** levels of anchors, each holding {@code width} aliases of the one before. */
  private static String laughs(int levels, int width, boolean mappings) {
    StringBuilder text = new StringBuilder("x-l0: &l0 ").append(mappings ? "{a: lol}" : "[lol]").append('\n');
    for (int level = 1; level <= levels; level++) {
      text.append("x-l").append(level).append(": &l").append(level).append(mappings ? " {" : " [");
      for (int i = 0; i < width; i++) {
        text.append(i == 0 ? "" : ", ").append(mappings ? "k" + i + ": " : "").append("*l").append(level - 1);
      }
      text.append(mappings ? "}\n" : "]\n");
    }
    return text.toString();
  }

  private static String mergeBomb(int merges, int keys) {
    StringBuilder text = new StringBuilder("x-base: &base {");
    for (int k = 0; k < keys; k++) {
      text.append(k == 0 ? "" : ", ").append("k").append(k).append(": ").append(k);
    }
    text.append("}\nx-bomb:\n  <<: [");
    for (int m = 0; m < merges; m++) {
      text.append(m == 0 ? "" : ", ").append("*base");
    }
    return text.append("]\n").toString();
  }

  private static String mergeChain(int levels) {
    StringBuilder text = new StringBuilder("x-m0: &m0 {k0: 0}\n");
    for (int level = 1; level <= levels; level++) {
      text.append("x-m").append(level).append(": &m").append(level).append(" {<<: [*m").append(level - 1)
          .append(", *m").append(level - 1).append("], k").append(level).append(": {x: *m").append(level - 1)
          .append("}}\n");
    }
    return text.toString();
  }

  private static String scalarFlood(int aliases, int size) {
    StringBuilder text = new StringBuilder("x-big: &big ").append("x".repeat(size)).append("\nx-flood: [");
    for (int i = 0; i < aliases; i++) {
      text.append(i == 0 ? "" : ",").append("*big");
    }
    return text.append("]\n").toString();
  }

  /** Anchors of {@code depth} nested mappings, each holding the one before at its bottom. */
  private static String deepChain(int links, int depth, boolean compose) {
    StringBuilder text = new StringBuilder();
    for (int link = 0; link < links; link++) {
      text.append(compose ? "x-c" : "c").append(link).append(": &c").append(link).append(' ');
      text.append("{k: ".repeat(depth - 1));
      text.append(link == 0 ? "end" : "*c" + (link - 1));
      text.append("}".repeat(depth - 1)).append('\n');
    }
    return (compose ? "" : "apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: deep}\nspec:\n")
        + (compose ? text.toString() : text.toString().indent(2));
  }

  static List<HostileInput> deepNesting() {
    List<HostileInput> inputs = new ArrayList<>();
    for (int depth : new int[] {99, 101, 10_000}) {
      inputs.add(nesting("flow mappings " + depth + " deep", "deep/flow-maps-" + depth + ".yaml",
          "x: " + "{a: ".repeat(depth) + "1" + "}".repeat(depth) + "\n", depth));
      inputs.add(nesting("flow lists " + depth + " deep", "deep/flow-lists-" + depth + ".yaml",
          "x: " + "[".repeat(depth) + "1" + "]".repeat(depth) + "\n", depth));
      inputs.add(nesting("JSON arrays " + depth + " deep", "deep/arrays-" + depth + ".json",
          "[".repeat(depth) + "1" + "]".repeat(depth), depth));
      inputs.add(nesting("JSON objects " + depth + " deep", "deep/objects-" + depth + ".json",
          "{\"a\":".repeat(depth) + "1" + "}".repeat(depth), depth));
      inputs.add(nesting("block lists " + depth + " deep on one line", "deep/block-lists-" + depth + ".yaml",
          "- ".repeat(depth) + "1\n", depth));
      inputs.add(nesting("Compose flow mappings " + depth + " deep", "deep/flow-maps-" + depth + "/compose.yaml",
          COMPOSE + "x-deep: " + "{a: ".repeat(depth) + "1" + "}".repeat(depth) + "\n", depth));
    }
    for (int depth : new int[] {98, 1_000}) {
      StringBuilder block = new StringBuilder();
      for (int level = 0; level < depth; level++) {
        block.append(" ".repeat(level)).append("a:\n");
      }
      block.append(" ".repeat(depth)).append("b: 1\n");
      inputs.add(nesting("block mappings " + depth + " deep", "deep/block-maps-" + depth + ".yaml", block.toString(),
          depth));
      inputs.add(nesting("Compose block mappings " + depth + " deep",
          "deep/block-maps-" + depth + "/compose.yaml", COMPOSE + "x-" + block, depth));
    }
    inputs.add(HostileInput.refused("deep nesting", "10000 unclosed flow lists", "deep/unclosed.yaml",
        "x: " + "[".repeat(10_000)));
    inputs.add(HostileInput.refused("deep nesting", "10000 unclosed JSON objects", "deep/unclosed.json",
        "{\"a\":".repeat(10_000)));
    inputs.add(HostileInput.any("deep nesting", "a CRD object 90 levels deep", "deep/crd.yaml",
        "apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: deep}\nspec: " + "{a: ".repeat(90) + "1"
            + "}".repeat(90) + "\n"));
    return inputs;
  }

  private static HostileInput nesting(String name, String path, String text, int depth) {
    // Under the limits (100 for manifests, 64 for Compose files) a deep value is just an odd document.
    boolean tooDeep = depth > (path.endsWith("compose.yaml") ? 64 : 100);
    return tooDeep ? HostileInput.refused("deep nesting", name, path, text)
        : HostileInput.any("deep nesting", name, path, text);
  }

  static List<HostileInput> huge() {
    List<HostileInput> inputs = new ArrayList<>();
    int cap = 16 * 1024 * 1024;
    int composeCap = 2 * 1024 * 1024;
    inputs.add(HostileInput.verdict("huge documents", "one document 1 KiB under the 16 MiB limit",
        "huge/near-cap.yaml", bigScalar(PVC + "---\n", cap - 1024)));
    inputs.add(HostileInput.refused("huge documents", "one document 1 byte over the 16 MiB limit",
        "huge/over-cap.yaml", bigScalar(PVC + "---\n", cap + 1), "16 MiB"));
    inputs.add(HostileInput.refused("huge documents", "JSON 1 byte over the 16 MiB limit", "huge/over-cap.json",
        bigJson(cap + 1), "16 MiB"));
    inputs.add(HostileInput.verdict("huge documents", "Compose file 1 KiB under the 2 MiB limit",
        "huge/near-cap/compose.yaml", bigScalar(COMPOSE + "x-big: ", composeCap - 1024)));
    inputs.add(HostileInput.refused("huge documents", "Compose file 1 byte over the 2 MiB limit",
        "huge/over-cap/compose.yaml", bigScalar(COMPOSE + "x-big: ", composeCap + 1), "2097152"));
    return inputs;
  }

  /** {@code prefix}, then a ConfigMap whose one value fills the file to {@code size} bytes. */
  private static byte[] bigScalar(String prefix, int size) {
    String head = prefix.endsWith("x-big: ") ? prefix : prefix + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\n"
        + "data:\n  big: ";
    StringBuilder text = new StringBuilder(size).append(head);
    text.append("x".repeat(size - head.length() - 1)).append('\n');
    return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] bigJson(int size) {
    String head = "{\"apiVersion\": \"v1\", \"kind\": \"PersistentVolumeClaim\", \"metadata\": {\"name\": \"data\","
        + " \"annotations\": {\"walguard.io/sqlite\": \"true\", \"filler\": \"";
    String tail = "\"}}}";
    return (head + "x".repeat(size - head.length() - tail.length()) + tail)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  static List<HostileInput> manyDocuments() {
    List<HostileInput> inputs = new ArrayList<>();
    inputs.add(HostileInput.verdict("many documents", "5000 empty documents", "many/empty.yaml",
        PVC + "---\n".repeat(5_000)));
    inputs.add(HostileInput.verdict("many documents", "2000 documents that are not objects", "many/scalars.yaml",
        PVC + "--- 1\n".repeat(2_000)));
    StringBuilder claims = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      claims.append(PVC.replace("name: data", "name: data-" + i)).append("---\n");
    }
    inputs.add(HostileInput.verdict("many documents", "300 annotated claims", "many/claims.yaml",
        claims.toString()));
    StringBuilder workloads = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      workloads.append("""
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: app-%1$d, annotations: {walguard.io/sqlite: "true"}}
          spec:
            replicas: %2$d
            template:
              spec:
                containers: [{name: app, image: example/app}]
                volumes: [{name: data, persistentVolumeClaim: {claimName: data-%3$d}}]
          ---
          """.formatted(i, i % 3, i % 50));
    }
    inputs.add(HostileInput.verdict("many documents", "100 Deployments sharing 50 claims", "many/workloads.yaml",
        workloads.toString()));
    inputs.add(HostileInput.verdict("many documents", "Compose file of 2000 documents", "many/docs/compose.yaml",
        COMPOSE + "---\nx-n: 1\n".repeat(2_000)));
    return inputs;
  }

  private static String path(String family, String name, boolean compose) {
    String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return compose ? family + "/" + slug + "/compose.yaml" : family + "/" + slug + ".yaml";
  }
}
