package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.core.InMemoryFacts;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code walguard audit} read: the Kubernetes objects as facts, where each came from, and the Compose
 * files, which are audited by their own rules.
 */
public final class Manifests {

  private final InMemoryFacts facts;
  private final Map<HasMetadata, ManifestObjects.Located> sources;
  private final List<Path> composeFiles;

  public Manifests(InMemoryFacts facts, Map<HasMetadata, ManifestObjects.Located> sources, List<Path> composeFiles) {
    this.facts = facts;
    this.sources = new IdentityHashMap<>(sources);
    this.composeFiles = List.copyOf(composeFiles);
  }

  /** Objects listed from a cluster: no files, no Compose. */
  public static Manifests ofCluster(InMemoryFacts facts) {
    return new Manifests(facts, Map.of(), List.of());
  }

  public InMemoryFacts facts() {
    return facts;
  }

  /** Where an object was read; with a field path (map keys, list indexes), the line of that field. */
  public Origin originOf(HasMetadata object, Object... fieldPath) {
    ManifestObjects.Located source = sources.get(object);
    if (source == null) {
      return Origin.cluster();
    }
    return fieldPath.length == 0 ? source.origin()
        : source.origin().atLine(source.lines().lineOf(List.of(fieldPath)));
  }

  public List<Path> composeFiles() {
    return composeFiles;
  }
}
