package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One value of a Compose model with its dotted path and the line it was written on. Reads are typed, and a value of
 * the wrong shape becomes a {@link BadInputException} that names the file, the line, the field and the fix.
 */
final class Field {

  private final Object value;
  private final String path;
  private final Origin origin;
  private final Origins origins;

  private Field(Object value, String path, Origin origin, Origins origins) {
    this.value = value;
    this.path = path;
    this.origin = origin;
    this.origins = origins;
  }

  static Field root(Object value, Path file, Origins origins) {
    return new Field(value, "", new Origin(file, 1), origins);
  }

  /** A value found at {@code path} of a model, e.g. the {@code services} mapping of a file that is extended. */
  static Field at(Object value, String path, Origin origin, Origins origins) {
    return new Field(value, path, origin, origins);
  }

  Object value() {
    return value;
  }

  String path() {
    return path.isEmpty() ? "the top level" : path;
  }

  Origin origin() {
    return origin;
  }

  /** The directory that a relative path written here is relative to. */
  Path baseDir() {
    return origins.baseDirOf(origin.file());
  }

  boolean isAbsent() {
    return value == null;
  }

  boolean isMap() {
    return value instanceof Map<?, ?>;
  }

  boolean isList() {
    return value instanceof List<?>;
  }

  /** The value under {@code key} of this mapping (absent when this value is absent too). */
  Field get(String key) throws BadInputException {
    if (value == null) {
      return new Field(null, child(key), origin, origins);
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw fail("is " + describe(value) + ", but Compose expects a mapping here", "write it as key: value lines");
    }
    return new Field(map.get(key), child(key), origins.ofKey(map, key, origin), origins);
  }

  /** The entries of a mapping, in file order; an absent value has none. */
  Map<String, Field> entries(String expected) throws BadInputException {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw fail("is " + describe(value) + ", but Compose expects " + expected, "write it as a mapping (key: value)");
    }
    Map<String, Field> entries = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      entries.put(key, new Field(entry.getValue(), child(key), origins.ofKey(map, entry.getKey(), origin), origins));
    }
    return entries;
  }

  /** The items of a list; an absent value has none. */
  List<Field> items(String expected) throws BadInputException {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw fail("is " + describe(value) + ", but Compose expects " + expected, "write it as a list (- item)");
    }
    List<Field> items = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      items.add(new Field(list.get(i), path + "[" + i + "]", origins.ofItem(list, i, origin), origins));
    }
    return items;
  }

  /** A scalar as text (numbers and booleans as written by YAML), or null when absent. */
  String text(String expected) throws BadInputException {
    if (value == null) {
      return null;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw fail("is " + describe(value) + ", but Compose expects " + expected, "write a single value");
  }

  /** A whole number, written as a number or as a string of digits (as after interpolation). */
  Optional<Integer> wholeNumber(String fix) throws BadInputException {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Integer i) {
      return Optional.of(i);
    }
    if (value instanceof String s && s.trim().matches("[-+]?[0-9]{1,9}")) {
      return Optional.of(Integer.parseInt(s.trim()));
    }
    throw fail("is " + describe(value) + ", but Compose expects a whole number", fix);
  }

  /** A boolean, written as true/false or as the string "true"/"false"; absent is false. */
  boolean flag(String fix) throws BadInputException {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw fail("is " + describe(value) + ", but Compose expects true or false", fix);
  }

  /**
   * Compose's "list or dict" (labels, environment): a mapping of keys to scalars, or a list of {@code key=value}
   * strings ({@code key} alone means an empty value).
   */
  Map<String, String> listOrDict() throws BadInputException {
    Map<String, String> result = new LinkedHashMap<>();
    if (value instanceof List<?>) {
      for (Field item : items("a list of key=value strings")) {
        String text = item.text("a key=value string");
        if (text == null) {
          continue;
        }
        int eq = text.indexOf('=');
        result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
      }
      return result;
    }
    for (Map.Entry<String, Field> entry : entries("a mapping of labels (key: value) or a list of key=value")
        .entrySet()) {
      String text = entry.getValue().text("a label value (a string)");
      result.put(entry.getKey(), text == null ? "" : text);
    }
    return result;
  }

  /** Bad input at this value: {@code file:line: path problem; fix}. */
  BadInputException fail(String problem, String fix) {
    return new BadInputException(origin + ": " + path() + " " + problem + "; " + fix);
  }

  private String child(String key) {
    String part = key.matches("[A-Za-z0-9_-]*") ? key : Quoted.quoted(key);
    return path.isEmpty() ? part : path + "." + part;
  }

  /** A short description of a value for messages; never prints a collection, which may be huge or recursive. */
  static String describe(Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Boolean) {
      return "the boolean " + value;
    }
    if (value instanceof Number) {
      return "the number " + value;
    }
    if (value instanceof String text) {
      return "the string " + Quoted.quoted(text);
    }
    // Values that only explicit YAML tags make.
    if (value instanceof byte[]) {
      return "binary data (!!binary)";
    }
    if (value instanceof Set<?>) {
      return "a set (!!set)";
    }
    if (value instanceof Date) {
      return "a timestamp (!!timestamp)";
    }
    return "a value of a type YAML tags make (!!pairs, !!omap ...)";
  }
}
