package io.walguard.audit;

import java.util.List;

/**
 * One document of a manifest file, as parsed: a mapping for a Kubernetes object, or anything else YAML allows.
 *
 * @param content the parsed value: maps, lists, strings, numbers, booleans, null
 * @param origin the file and the line the document starts on
 * @param lines finds the line of a field inside the document, for messages about that field
 */
public record ManifestDocument(Object content, Origin origin, FieldLines lines) {

  /** The line of a field, given as a path of map keys and list indexes from the document root; 0 when unknown. */
  @FunctionalInterface
  public interface FieldLines {
    int lineOf(List<Object> path);

    FieldLines NONE = path -> 0;

    /** The same lookup, for a value found at {@code prefix} inside this document (a List's item). */
    default FieldLines under(List<Object> prefix) {
      return path -> {
        List<Object> full = new java.util.ArrayList<>(prefix);
        full.addAll(path);
        return lineOf(full);
      };
    }
  }
}
