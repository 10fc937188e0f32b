package io.walguard.audit.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Manifests as plain trees (maps, lists, scalars) for the generators: read from YAML, copied, changed at a field path,
 * and written back in a chosen style.
 */
final class Trees {

  private Trees() {}

  /** Every document of a YAML text, merge keys and anchors resolved. */
  static List<Object> load(String text) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Object> documents = new ArrayList<>();
    for (Object document : yaml.loadAll(text)) {
      if (document != null) {
        documents.add(copy(document));
      }
    }
    return documents;
  }

  /** The documents as multi-document YAML, in a flow or block style and with an indentation. */
  static String dump(List<Object> documents, DumperOptions.FlowStyle style, int indent) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(style);
    options.setIndent(indent);
    options.setIndicatorIndent(Math.max(0, Math.min(indent - 1, 2)));
    options.setIndentWithIndicator(indent > 2);
    options.setWidth(120);
    options.setExplicitStart(true);
    return new Yaml(new Representer(options), options).dumpAll(documents.iterator());
  }

  static String dump(List<Object> documents) {
    return dump(documents, DumperOptions.FlowStyle.BLOCK, 2);
  }

  /** A deep copy, so that a change never reaches a value shared through an alias or another input. */
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(copy(item)));
      return out;
    }
    return value;
  }

  /** Every path (map keys and list indexes) to a value under the root, parents before children. */
  static List<List<Object>> paths(Object root) {
    List<List<Object>> paths = new ArrayList<>();
    collect(root, new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(Object value, List<Object> path, List<List<Object>> out) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        List<Object> child = new ArrayList<>(path);
        child.add(entry.getKey());
        out.add(child);
        collect(entry.getValue(), child, out);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        List<Object> child = new ArrayList<>(path);
        child.add(i);
        out.add(child);
        collect(list.get(i), child, out);
      }
    }
  }

  /** A copy of the root with the value at the path replaced. */
  @SuppressWarnings("unchecked")
  static Object with(Object root, List<Object> path, Object value) {
    Object copy = copy(root);
    Object parent = copy;
    for (int i = 0; i < path.size() - 1; i++) {
      parent = step(parent, path.get(i));
    }
    Object last = path.get(path.size() - 1);
    if (parent instanceof Map<?, ?> map) {
      ((Map<Object, Object>) map).put(last, copy(value));
    } else {
      ((List<Object>) parent).set((Integer) last, copy(value));
    }
    return copy;
  }

  /** A copy of the root with the mapping at the path given one more key (the mapping is created when missing). */
  @SuppressWarnings("unchecked")
  static Object withKey(Object root, List<Object> mappingPath, Object key, Object value) {
    Object copy = copy(root);
    Object node = copy;
    for (Object step : mappingPath) {
      Object next = step(node, step);
      if (next == null && node instanceof Map<?, ?> map) {
        next = new LinkedHashMap<>();
        ((Map<Object, Object>) map).put(step, next);
      }
      node = next;
    }
    ((Map<Object, Object>) node).put(key, copy(value));
    return copy;
  }

  static Object at(Object root, List<Object> path) {
    Object node = root;
    for (Object step : path) {
      node = step(node, step);
    }
    return node;
  }

  private static Object step(Object node, Object step) {
    if (node instanceof Map<?, ?> map) {
      return map.get(step);
    }
    if (node instanceof List<?> list && step instanceof Integer index && index < list.size()) {
      return list.get(index);
    }
    return null;
  }

  static String dotted(List<Object> path) {
    StringBuilder out = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(step);
      }
    }
    return out.toString();
  }
}
