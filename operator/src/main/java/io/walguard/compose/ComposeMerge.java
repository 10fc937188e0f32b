package io.walguard.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compose's merge rules, for the places where one definition is laid over another: a service and the service it
 * {@code extends}, the documents of one file, and an override file over the main file. Mappings merge key by key,
 * sequences append, scalars are replaced; {@code volumes} of a service merge by target path; {@code labels} merge as
 * mappings whichever syntax each side uses; {@code !reset} removes a value and {@code !override} replaces it whole.
 */
final class ComposeMerge {

  private final Origins origins;

  ComposeMerge(Origins origins) {
    this.origins = origins;
  }

  /** {@code over} laid over {@code base}; {@code path} is where they sit in the model, e.g. [services, web]. */
  Object merge(Object base, Object over, List<String> path) {
    if (over == null) {
      return base;
    }
    if (base == null) {
      return over;
    }
    String last = path.isEmpty() ? "" : path.get(path.size() - 1);
    if (last.equals("labels") && (base instanceof List<?> || over instanceof List<?>)) {
      return mergeMaps(asMap(base), asMap(over), path);
    }
    if (base instanceof Map<?, ?> b && over instanceof Map<?, ?> o) {
      return mergeMaps(b, o, path);
    }
    if (base instanceof List<?> b && over instanceof List<?> o) {
      boolean serviceVolumes = path.size() == 3 && path.get(0).equals("services") && last.equals("volumes");
      return serviceVolumes ? mergeByTarget(b, o) : append(b, o, last.equals("constraints"));
    }
    return over;
  }

  private Map<Object, Object> mergeMaps(Map<?, ?> base, Map<?, ?> over, List<String> path) {
    Map<Object, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : base.entrySet()) {
      result.put(entry.getKey(), entry.getValue());
      copyKeyOrigin(base, entry.getKey(), result);
    }
    for (Map.Entry<?, ?> entry : over.entrySet()) {
      Object key = entry.getKey();
      if (origins.isReset(over, key)) {
        result.remove(key);
        continue;
      }
      Object merged = origins.isOverride(over, key) ? entry.getValue()
          : merge(result.get(key), entry.getValue(), child(path, String.valueOf(key)));
      result.put(key, merged);
      copyKeyOrigin(over, key, result);
    }
    return result;
  }

  private List<Object> append(List<?> base, List<?> over, boolean unique) {
    List<Object> result = new ArrayList<>();
    List<Origin> lines = new ArrayList<>();
    addItems(base, result, lines, unique);
    addItems(over, result, lines, unique);
    origins.items(result, lines);
    return result;
  }

  private void addItems(List<?> from, List<Object> result, List<Origin> lines, boolean unique) {
    for (int i = 0; i < from.size(); i++) {
      if (unique && result.contains(from.get(i))) {
        continue;
      }
      result.add(from.get(i));
      lines.add(origins.ofItem(from, i, null));
    }
  }

  /** A service's mounts are unique by target: an overriding mount takes the place of the one at its path. */
  private List<Object> mergeByTarget(List<?> base, List<?> over) {
    Map<Object, Object> byTarget = new LinkedHashMap<>();
    Map<Object, Origin> lines = new LinkedHashMap<>();
    for (List<?> side : List.of(base, over)) {
      for (int i = 0; i < side.size(); i++) {
        Object item = side.get(i);
        Object key = Objects.requireNonNullElse(ServiceMount.targetOf(item), item);
        byTarget.put(key, item);
        lines.put(key, origins.ofItem(side, i, null));
      }
    }
    List<Object> result = new ArrayList<>(byTarget.values());
    origins.items(result, new ArrayList<>(lines.values()));
    return result;
  }

  /** A labels value in list syntax as the mapping it stands for, so both syntaxes merge alike. */
  private Map<?, ?> asMap(Object labels) {
    if (labels instanceof Map<?, ?> map) {
      return map;
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    if (labels instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String item = String.valueOf(list.get(i));
        int eq = item.indexOf('=');
        String key = eq < 0 ? item : item.substring(0, eq);
        map.put(key, eq < 0 ? "" : item.substring(eq + 1));
        Origin line = origins.ofItem(list, i, null);
        if (line != null) {
          origins.key(map, key, line);
        }
      }
    }
    return map;
  }

  private void copyKeyOrigin(Map<?, ?> from, Object key, Map<?, ?> to) {
    Origin line = origins.ofKey(from, key, null);
    if (line != null) {
      origins.key(to, key, line);
    }
  }

  private static List<String> child(List<String> path, String key) {
    List<String> child = new ArrayList<>(path);
    child.add(key);
    return child;
  }
}
