package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.compose.ComposeProject;
import io.walguard.core.InMemoryFacts;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code walguard audit} read: the Kubernetes objects as facts, where each came from, and the Compose
 * projects, which are audited by their own rules.
 */
public final class Manifests {

  private final InMemoryFacts facts;
  private final Map<HasMetadata, ManifestObjects.Located> sources;
  private final List<ComposeProject> composeProjects;
  private final List<Path> composeLikeFiles;
  private final boolean readsKubernetes;

  /**
   * @param composeLikeFiles files found under a directory that hold Compose content under a name Compose does not
   *     look for: fragments that a project includes or extends, or files to be named with -f
   * @param readsKubernetes whether Kubernetes manifests (or a cluster) were read, as opposed to Compose files alone
   */
  public Manifests(InMemoryFacts facts, Map<HasMetadata, ManifestObjects.Located> sources,
      List<ComposeProject> composeProjects, List<Path> composeLikeFiles, boolean readsKubernetes) {
    this.facts = facts;
    this.sources = new IdentityHashMap<>(sources);
    this.composeProjects = List.copyOf(composeProjects);
    this.composeLikeFiles = List.copyOf(composeLikeFiles);
    this.readsKubernetes = readsKubernetes;
  }

  /** Objects listed from a cluster: no files, no Compose. */
  public static Manifests ofCluster(InMemoryFacts facts) {
    return new Manifests(facts, Map.of(), List.of(), List.of(), true);
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

  public List<ComposeProject> composeProjects() {
    return composeProjects;
  }

  public List<Path> composeLikeFiles() {
    return composeLikeFiles;
  }

  public boolean readsKubernetes() {
    return readsKubernetes;
  }

  public boolean readsCompose() {
    return !composeProjects.isEmpty() || !composeLikeFiles.isEmpty();
  }
}
