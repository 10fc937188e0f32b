package io.walguard.audit;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code apiVersion} and {@code kind}: what a document needs to be a Kubernetes object. A document with neither (a
 * Helm {@code values.yaml}) is something else and is skipped; one with {@code metadata} and only one of the two is an
 * object with a field missing, which the API server would refuse, and so is bad input that says which one is missing.
 */
final class ObjectHeader {

  private ObjectHeader() {}

  /** Why a document is not an object, for the note that skips it: {@code no apiVersion and no kind}, ... */
  static String missing(Object content) {
    if (!(content instanceof Map<?, ?> raw)) {
      return "not a mapping with apiVersion and kind";
    }
    boolean apiVersion = text(raw, "apiVersion").isPresent();
    boolean kind = text(raw, "kind").isPresent();
    return !apiVersion && !kind ? "no apiVersion and no kind" : apiVersion ? "no kind" : "no apiVersion";
  }

  /**
   * Refuses a document that is meant as an object (it has {@code metadata}) but has only one of apiVersion and kind.
   *
   * @param currentVersions the API version each kind walguard reads is served at, to suggest the missing half
   */
  static void requireBoth(Object content, Origin origin, Map<String, String> currentVersions)
      throws BadInputException {
    if (!(content instanceof Map<?, ?> raw) || !(raw.get("metadata") instanceof Map<?, ?> metadata)) {
      return;
    }
    Optional<String> apiVersion = text(raw, "apiVersion");
    Optional<String> kind = text(raw, "kind");
    if (apiVersion.isPresent() == kind.isPresent()) {
      return;
    }
    String name = metadata.get("name") instanceof String s ? " " + Quoted.name(s) : "";
    if (kind.isEmpty()) {
      String served = currentVersions.entrySet().stream().filter(e -> e.getValue().equals(apiVersion.get()))
          .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
      throw new BadInputException(origin.describe() + ": the object" + name + " has apiVersion "
          + Quoted.name(apiVersion.get()) + " but no kind: add its kind"
          + (served.isEmpty() ? "" : " (" + apiVersion.get() + " serves " + served + ")"));
    }
    String version = currentVersions.get(kind.get());
    throw new BadInputException(origin.describe() + ": the " + Quoted.name(kind.get()) + name + " has no apiVersion:"
        + " add " + (version == null ? "its apiVersion" : "apiVersion: " + version));
  }

  private static Optional<String> text(Map<?, ?> raw, String field) {
    return raw.get(field) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }
}
