package io.walguard.audit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Inputs made at the level of text: YAML token soup, valid examples with a few characters or lines broken, examples cut
 * off at a random byte, and examples rewritten in other styles (flow and block, other indentations), which must read
 * exactly as the original.
 */
final class TextFuzz {

  /** Fragments of YAML syntax and of manifests, the alphabet of the soup. */
  private static final List<String> TOKENS = List.of(
      "apiVersion:", "kind:", "v1", "apps/v1", "walguard.io/v1alpha1", "Deployment", "StatefulSet",
      "PersistentVolumeClaim", "SqliteDatabase", "StorageClass", "List", "items:", "metadata:", "name:", "spec:",
      "replicas:", "template:", "volumes:", "persistentVolumeClaim:", "claimName:", "containers:", "image:",
      "services:", "volumes:", "driver_opts:", "deploy:", "labels:", "walguard.io/sqlite:", "\"true\"", "data",
      "-", "- ", "? ", ":", ": ", ",", "{", "}", "[", "]", "{}", "[]", "&a", "&b", "*a", "*b", "<<:", "<<: *a",
      "!!str", "!!int", "!!map", "!!seq", "!!binary", "!!python/object:os.system", "!!set", "!reset", "!override",
      "!custom", "|", "|-", ">", ">+", "'", "\"", "''", "\"\\u0000\"", "\"\\x\"", "#", "# comment", "---", "...",
      "%YAML 1.1", "%YAML 2.0", "%TAG ! tag:x,2024:", "null", "~", "true", "no", "on", "0x1F", "0o17", "1e400",
      "-.inf", ".nan", "2024-01-01", "12:30:00", "99999999999999999999999", "-1", "0", "1_000", "${VAR}",
      "$${X}", "${X:?}", "{{ .Values.x }}", "@", "`", "%", "\\", "\u00e9t\u00e9", "\u202e", "\ud83d\ude00",
      "\u00a0", "\u2028", "\u0085");
  private static final List<String> INDENTS = List.of("", "", " ", "  ", "    ", "\t", " \t", "      ", "        ");
  private static final List<String> SEPARATORS = List.of(" ", " ", ": ", ", ", "", "  ");

  private TextFuzz() {}

  /** Lines of random tokens at random indentations, tabs included. */
  static List<HostileInput> randomYaml(Random random, int count) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text = soup(random, 1 + random.nextInt(40));
      boolean compose = i % 4 == 3;
      inputs.add(HostileInput.any("random YAML", "token soup " + i, path("soup", i, compose), text));
    }
    return inputs;
  }

  private static String soup(Random random, int lines) {
    StringBuilder text = new StringBuilder();
    for (int line = 0; line < lines; line++) {
      text.append(pick(random, INDENTS));
      int tokens = 1 + random.nextInt(5);
      for (int t = 0; t < tokens; t++) {
        if (t > 0) {
          text.append(pick(random, SEPARATORS));
        }
        text.append(pick(random, TOKENS));
      }
      text.append(random.nextInt(20) == 0 ? "\r\n" : "\n");
    }
    return text.toString();
  }

  /** YAML's standard tags and some that are not, each on values of every kind, in a manifest and in a Compose file. */
  static List<HostileInput> explicitTags() {
    List<String> tags = List.of("!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!map",
        "!!seq", "!!set", "!!omap", "!!pairs", "!!merge", "!!value", "!!python/object:os.system", "!custom",
        "!<tag:yaml.org,2002:int>", "!reset", "!override");
    List<String> values = List.of("word", "\"@@@\"", "{a: 1}", "[a, 1]");
    List<HostileInput> inputs = new ArrayList<>();
    for (String tag : tags) {
      for (String value : values) {
        boolean compose = inputs.size() % 2 == 1;
        String text = compose
            ? "name: tags\nservices:\n  app:\n    image: " + tag + " " + value + "\n"
            : "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  labels:\n    tier: " + tag
                + " " + value + "\n";
        inputs.add(HostileInput.any("explicit tags", tag + " " + value, path("tags", inputs.size(), compose),
            text));
      }
    }
    return inputs;
  }

  /** Valid examples with one to six small breakages: characters, tokens, lines, indentation. */
  static List<HostileInput> mutated(Random random, List<Examples.Example> examples, int count) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Examples.Example example = examples.get(i % examples.size());
      String text = example.text();
      int mutations = 1 + random.nextInt(6);
      List<String> applied = new ArrayList<>();
      for (int m = 0; m < mutations; m++) {
        int kind = random.nextInt(9);
        applied.add(String.valueOf(kind));
        text = mutate(random, text, kind);
      }
      inputs.add(HostileInput.any("random YAML", example.name() + " with mutations " + String.join(",", applied),
          path("mutated", i, example.compose()), text));
    }
    return inputs;
  }

  private static String mutate(Random random, String text, int kind) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int at = random.nextInt(Math.max(1, text.length()));
    int line = random.nextInt(lines.size());
    switch (kind) {
      case 0 -> {
        int end = Math.min(text.length(), at + 1 + random.nextInt(20));
        return text.substring(0, at) + text.substring(end);
      }
      case 1 -> {
        return text.substring(0, at) + pick(random, TOKENS) + text.substring(at);
      }
      case 2 -> lines.add(line, lines.get(line));
      case 3 -> {
        int other = random.nextInt(lines.size());
        String swap = lines.get(line);
        lines.set(line, lines.get(other));
        lines.set(other, swap);
      }
      case 4 -> lines.set(line, lines.get(line).replaceFirst("^ +", "\t"));
      case 5 -> {
        String l = lines.get(line);
        int shift = random.nextInt(7) - 3;
        lines.set(line, shift >= 0 ? " ".repeat(shift) + l : l.replaceFirst("^ {1," + -shift + "}", ""));
      }
      case 6 -> {
        if (text.isEmpty()) {
          return text;
        }
        String c = pick(random, List.of(":", "-", "{", "[", "&", "*", "!", "|", ">", "'", "\"", "#", "%", "@", "\t",
            "\u0000", "\u00ff", "}", "]", ","));
        return text.substring(0, at) + c + text.substring(Math.min(text.length(), at + 1));
      }
      case 7 -> {
        String l = lines.get(line);
        int colon = l.indexOf(": ");
        if (colon > 0) {
          String open = random.nextBoolean() ? "{" : "[";
          lines.set(line, l.substring(0, colon + 2) + open + l.substring(colon + 2) + (open.equals("{") ? "}" : "]"));
        }
      }
      default -> lines.add(line, "---");
    }
    return String.join("\n", lines);
  }

  /** Examples cut off after a random number of bytes. */
  static List<HostileInput> truncated(Random random, List<Examples.Example> examples, int count) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Examples.Example example = examples.get(i % examples.size());
      byte[] bytes = example.text().getBytes(StandardCharsets.UTF_8);
      int cut = random.nextInt(bytes.length);
      inputs.add(HostileInput.any("truncated", example.name() + " cut at byte " + cut, path("truncated", i,
          example.compose()), Arrays.copyOf(bytes, cut)));
    }
    return inputs;
  }

  /**
   * Each example rewritten in flow style, block style and a mix, with indentations from 1 to 8: the same manifests, so
   * the same report.
   */
  static List<HostileInput> restyled(List<Examples.Example> examples, List<HostileInput> originals) {
    List<HostileInput> inputs = new ArrayList<>();
    int i = 0;
    for (int e = 0; e < examples.size(); e++) {
      Examples.Example example = examples.get(e);
      List<Object> documents = Trees.load(example.text());
      for (DumperOptions.FlowStyle style : DumperOptions.FlowStyle.values()) {
        int indent = 1 + (i * 3) % 8;
        String text = Trees.dump(documents, style, Math.max(2, indent));
        inputs.add(HostileInput.sameAs(originals.get(e), "flow and block", example.name() + " in " + style
            + " style, indent " + Math.max(2, indent), path("restyled", i++, example.compose()),
            text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return inputs;
  }

  static String path(String family, int index, boolean compose) {
    return compose ? family + "/" + index + "/compose.yaml" : family + "/" + index + ".yaml";
  }

  static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
