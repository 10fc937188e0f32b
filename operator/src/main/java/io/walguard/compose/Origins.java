package io.walguard.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file and line of every mapping value and list item loaded from Compose files, kept beside the plain Java
 * values (keyed by the identity of their container) so that the model can be read as maps and lists and still name
 * the line of a wrong value. It also records which values carried Compose's {@code !reset} and {@code !override}
 * tags, which only matter when two definitions are merged.
 */
final class Origins {

  private final Map<Map<?, ?>, Map<Object, Origin>> keys = new IdentityHashMap<>();
  private final Map<List<?>, List<Origin>> items = new IdentityHashMap<>();
  private final Map<Map<?, ?>, Set<Object>> resets = new IdentityHashMap<>();
  private final Map<Map<?, ?>, Set<Object>> overrides = new IdentityHashMap<>();
  private final Map<Path, Path> baseDirs = new HashMap<>();

  /** Relative paths written in {@code file} are relative to {@code dir}, not to the file's own directory. */
  void baseDir(Path file, Path dir) {
    baseDirs.put(file, dir);
  }

  /** The directory that relative paths written in {@code file} are relative to: its own, unless said otherwise. */
  Path baseDirOf(Path file) {
    Path dir = baseDirs.get(file);
    return dir != null ? dir : file.toAbsolutePath().getParent();
  }

  void key(Map<?, ?> map, Object key, Origin origin) {
    keys.computeIfAbsent(map, m -> new HashMap<>()).put(key, origin);
  }

  void items(List<?> list, List<Origin> origins) {
    items.put(list, new ArrayList<>(origins));
  }

  void reset(Map<?, ?> map, Object key) {
    resets.computeIfAbsent(map, m -> new HashSet<>()).add(key);
  }

  void override(Map<?, ?> map, Object key) {
    overrides.computeIfAbsent(map, m -> new HashSet<>()).add(key);
  }

  /** The line of {@code map}'s value under {@code key}, or {@code fallback} when it was not loaded from a file. */
  Origin ofKey(Map<?, ?> map, Object key, Origin fallback) {
    Map<Object, Origin> known = keys.get(map);
    Origin origin = known == null ? null : known.get(key);
    return origin == null ? fallback : origin;
  }

  Origin ofItem(List<?> list, int index, Origin fallback) {
    List<Origin> known = items.get(list);
    Origin origin = known == null || index >= known.size() ? null : known.get(index);
    return origin == null ? fallback : origin;
  }

  boolean isReset(Map<?, ?> map, Object key) {
    Set<Object> set = resets.get(map);
    return set != null && set.contains(key);
  }

  boolean isOverride(Map<?, ?> map, Object key) {
    Set<Object> set = overrides.get(map);
    return set != null && set.contains(key);
  }
}
