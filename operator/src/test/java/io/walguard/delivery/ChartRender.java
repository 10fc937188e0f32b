package io.walguard.delivery;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The walguard chart rendered by real Helm (helm-java) and read back as Kubernetes objects. Renderings are cached
 * per values, since every test of a mode looks at the same output.
 */
final class ChartRender {

  static final String RELEASE = "walguard";
  static final String NAMESPACE = "walguard-system";
  /**
   * helm-java's Helm is built without the Kubernetes version a released helm binary carries, so it assumes 1.20,
   * older than the chart's kubeVersion; render for a supported version explicitly.
   */
  static final String KUBE_VERSION = "1.31.0";

  private static final Map<String, ChartRender> CACHE = new ConcurrentHashMap<>();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final String yaml;
  final List<HasMetadata> objects;

  private ChartRender(String yaml) {
    this.yaml = yaml;
    this.objects = parse(yaml);
  }

  /** The chart rendered into {@link #NAMESPACE} with these values laid over values.yaml. */
  static ChartRender of(DeliveryMode mode) {
    return of(mode.values);
  }

  static ChartRender of(String valuesYaml) {
    return CACHE.computeIfAbsent(valuesYaml, v -> new ChartRender(template(NAMESPACE, v)));
  }

  /** {@code helm template walguard helm/walguard --namespace <ns> -f <values>}; Helm's error as an exception. */
  static String template(String namespace, String valuesYaml) {
    Path values = writeValues(valuesYaml);
    try {
      return new Helm(Repo.CHART)
          .template()
          .withName(RELEASE)
          .withNamespace(namespace)
          .withKubeVersion(KUBE_VERSION)
          .withValuesFile(values)
          .call();
    } finally {
      deleteQuietly(values);
    }
  }

  static Path writeValues(String valuesYaml) {
    try {
      Path values = Files.createTempFile("walguard-values", ".yaml");
      Files.writeString(values, valuesYaml, StandardCharsets.UTF_8);
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file left behind is harmless
    }
  }

  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      KubernetesResource resource = SERIALIZATION.unmarshal(doc);
      objects.add((HasMetadata) resource);
    }
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return find(type, name)
        .orElseThrow(() -> new AssertionError("the chart renders no " + type.getSimpleName() + " " + name));
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
  }
}
