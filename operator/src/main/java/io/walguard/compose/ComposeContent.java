package io.walguard.compose;

import io.walguard.audit.BadInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a YAML file holds, judged by the top-level keys of its documents, for files whose name does not say: a
 * Compose file (no {@code apiVersion} or {@code kind}, and a {@code services:} mapping of service definitions),
 * Kubernetes objects (an {@code apiVersion} and a {@code kind}), or something else (a Helm {@code values.yaml} with
 * {@code services: {enabled: true}} is not a Compose file).
 */
public enum ComposeContent {
  COMPOSE, KUBERNETES, OTHER;

  /** The content of parsed documents (maps, lists, scalars; null for an empty document). */
  public static ComposeContent of(List<?> documents) {
    boolean services = false;
    for (Object document : documents) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map<?, ?> map)) {
        return OTHER;
      }
      if (map.get("apiVersion") instanceof String && map.get("kind") instanceof String) {
        return KUBERNETES;
      }
      if (map.containsKey("apiVersion") || map.containsKey("kind")) {
        return OTHER;
      }
      services |= map.get("services") instanceof Map<?, ?> definitions
          && definitions.values().stream().allMatch(definition -> definition instanceof Map<?, ?>);
    }
    return services ? COMPOSE : OTHER;
  }

  /**
   * The content of a file read as a Compose file is read ({@code text} when it was read already, else from disk);
   * {@link #OTHER} when it cannot be read so.
   */
  public static ComposeContent of(Path file, String text) {
    try {
      return of(ComposeYaml.load(file, text, new Origins()).stream().map(ComposeYaml.Document::value).toList());
    } catch (BadInputException e) {
      return OTHER;
    }
  }
}
