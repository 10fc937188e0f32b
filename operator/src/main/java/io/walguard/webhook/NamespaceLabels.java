package io.walguard.webhook;

import java.util.Map;

/**
 * A namespace's labels, for its {@code walguard.io/enforce} mode. The operator answers from an informer cache: the
 * webhook must not call the API server while the API server waits for it.
 */
@FunctionalInterface
public interface NamespaceLabels {

  /** The labels of the namespace, or an empty map when it is not known. */
  Map<String, String> of(String namespace);

  static NamespaceLabels none() {
    return ns -> Map.of();
  }
}
