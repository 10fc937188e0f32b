package io.walguard.audit;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.walguard.api.SqliteDatabase;
import io.walguard.compose.ComposeContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Turns parsed documents into fabric8 model objects of their concrete classes (Deployment, PersistentVolumeClaim,
 * SqliteDatabase ...): flattens {@code List} kinds, skips what is not a Kubernetes object with a note, drops
 * {@code status} (walguard computes verdicts, it never echoes them), and names the file, object and field of
 * anything that does not fit the model.
 */
public final class ManifestObjects {

  /** The API version each kind walguard reads is served at today. */
  static final Map<String, String> CURRENT_VERSIONS = Map.ofEntries(
      Map.entry("Deployment", "apps/v1"),
      Map.entry("StatefulSet", "apps/v1"),
      Map.entry("DaemonSet", "apps/v1"),
      Map.entry("ReplicaSet", "apps/v1"),
      Map.entry("Job", "batch/v1"),
      Map.entry("CronJob", "batch/v1"),
      Map.entry("Pod", "v1"),
      Map.entry("PersistentVolumeClaim", "v1"),
      Map.entry("PersistentVolume", "v1"),
      Map.entry("StorageClass", "storage.k8s.io/v1"),
      Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
      Map.entry("SqliteDatabase", SqliteDatabase.GROUP + "/" + SqliteDatabase.VERSION));

  /**
   * Older versions of those kinds that old manifests still carry. The fields walguard reads mean the same in them,
   * so they are read as the current version rather than refused.
   */
  private static final Map<String, Set<String>> LEGACY_VERSIONS = Map.of(
      "Deployment", Set.of("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"),
      "StatefulSet", Set.of("apps/v1beta1", "apps/v1beta2"),
      "DaemonSet", Set.of("extensions/v1beta1", "apps/v1beta2"),
      "ReplicaSet", Set.of("extensions/v1beta1", "apps/v1beta2"),
      "CronJob", Set.of("batch/v1beta1", "batch/v2alpha1"),
      "StorageClass", Set.of("storage.k8s.io/v1beta1"),
      "HorizontalPodAutoscaler", Set.of("autoscaling/v1", "autoscaling/v2beta1", "autoscaling/v2beta2"));

  private final KubernetesSerialization serialization;
  private final String defaultNamespace;
  private final Consumer<String> notes;

  public ManifestObjects(KubernetesSerialization serialization, String defaultNamespace, Consumer<String> notes) {
    this.serialization = serialization;
    this.defaultNamespace = defaultNamespace;
    this.notes = notes;
  }

  /** A serialization that knows every built-in kind and walguard's SqliteDatabase; costly to build, so shared. */
  public static KubernetesSerialization serialization() {
    return Shared.SERIALIZATION;
  }

  private static final class Shared {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
      SERIALIZATION.registerKubernetesResource(SqliteDatabase.class);
    }
  }

  /** An object read from a manifest, where its document starts, and how to find the lines of its fields. */
  public record Located(HasMetadata object, Origin origin, ManifestDocument.FieldLines lines) {}

  public List<Located> objects(ManifestDocument document) throws BadInputException {
    List<Located> out = new ArrayList<>();
    collect(document.content(), document.origin(), document.lines(), out, true);
    return out;
  }

  private void collect(Object content, Origin origin, ManifestDocument.FieldLines lines, List<Located> out,
      boolean topLevel) throws BadInputException {
    if (content == null) {
      return;
    }
    if (!(content instanceof Map<?, ?> raw) || !(raw.get("apiVersion") instanceof String apiVersion)
        || !(raw.get("kind") instanceof String kind)) {
      ObjectHeader.requireBoth(content, origin, CURRENT_VERSIONS);
      boolean compose = topLevel && ComposeContent.of(List.of(content)) == ComposeContent.COMPOSE;
      notes.accept(origin.describe() + ": not a Kubernetes object (" + ObjectHeader.missing(content) + "), skipped"
          + (topLevel ? "" : " (an item of a List)")
          + (compose ? "; it looks like a Compose file (services:) in a file that holds more than Compose:"
              + " give the Compose part a file of its own to audit it" : ""));
      return;
    }
    if (apiVersion.startsWith("kustomize.config.k8s.io/")) {
      notes.accept(origin.describe() + ": a kustomize " + kind + ", skipped: walguard reads the files beside it as"
          + " they are; to audit the kustomized result, run `kubectl kustomize DIR > rendered.yaml` and audit that");
      return;
    }
    if (kind.endsWith("List") && raw.get("items") instanceof List<?> items) {
      String itemKind = kind.equals("List") ? null : kind.substring(0, kind.length() - "List".length());
      for (int i = 0; i < items.size(); i++) {
        Object item = items.get(i);
        ManifestDocument.FieldLines itemLines = lines.under(List.of("items", i));
        if (item instanceof Map<?, ?> itemMap && itemKind != null) {
          Map<String, Object> typed = copy(itemMap);
          typed.putIfAbsent("apiVersion", apiVersion);
          typed.putIfAbsent("kind", itemKind);
          item = typed;
        }
        collect(item, origin.atLine(itemLines.lineOf(List.of())), itemLines, out, false);
      }
      return;
    }
    HasMetadata object = convert(copy(raw), apiVersion, kind, origin, lines);
    if (object != null) {
      out.add(new Located(object, origin, lines));
    }
  }

  /** The model object, or null (with a note) for the rare kind that has no metadata. */
  private HasMetadata convert(Map<String, Object> raw, String apiVersion, String kind, Origin origin,
      ManifestDocument.FieldLines lines) throws BadInputException {
    String ref = kind + "/" + nameOf(raw);
    String current = CURRENT_VERSIONS.get(kind);
    if (current != null && !current.equals(apiVersion)) {
      if (!LEGACY_VERSIONS.getOrDefault(kind, Set.of()).contains(apiVersion)) {
        throw new BadInputException(origin.describe() + ": " + ref + ": apiVersion " + apiVersion + " does not serve "
            + kind + "; use apiVersion: " + current);
      }
      raw.put("apiVersion", current);
    }
    // Verdicts are computed from spec and surroundings; whatever a status says (a verdict, replica counts) is not
    // evidence walguard trusts.
    raw.remove("status");
    if (current != null) {
      List<Object> empty = emptyItem(raw, new ArrayList<>());
      if (empty != null) {
        // The API server refuses an empty item too (a container or volume without a name, an empty access mode).
        throw new BadInputException(origin.atLine(lines.lineOf(empty)).describe() + ": " + ref + ": " + dotted(empty)
            + " is an empty item (null): remove the dash, or fill the item in");
      }
    }

    Object converted;
    try {
      converted = serialization.convertValue(raw, KubernetesResource.class);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonMappingException mapping) {
        throw new BadInputException(fieldError(mapping, raw, ref, kind, origin, lines), e);
      }
      throw new BadInputException(origin.describe() + ": " + ref + ": " + e.getMessage(), e);
    }
    if (!(converted instanceof HasMetadata object)) {
      notes.accept(origin.describe() + ": " + ref + " is not an object walguard can read, skipped");
      return null;
    }
    if (current != null && (object instanceof GenericKubernetesResource)) {
      throw new BadInputException(origin.describe() + ": " + ref + ": not readable as " + kind);
    }
    if (object.getMetadata() == null || blank(object.getMetadata().getName())) {
      if (current != null) {
        throw new BadInputException(origin.describe() + ": a " + kind + " without metadata.name: give it a name");
      }
      notes.accept(origin.describe() + ": a " + kind + " without metadata.name, skipped");
      return null;
    }
    if (current != null) {
      FieldRanges.check(object, ref, origin, lines);
      ClaimReferences.check(object, ref, origin, lines);
    }
    if (object instanceof Namespaced && object.getMetadata() != null && blank(object.getMetadata().getNamespace())) {
      object.getMetadata().setNamespace(defaultNamespace);
    }
    return object;
  }

  private static String fieldError(JsonMappingException e, Map<String, Object> raw, String ref, String kind,
      Origin origin, ManifestDocument.FieldLines lines) {
    List<Object> path = new ArrayList<>();
    for (JsonMappingException.Reference reference : e.getPath()) {
      path.add(reference.getFieldName() != null ? reference.getFieldName() : (Object) reference.getIndex());
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known = unknown.getKnownPropertyIds() == null ? ""
          : " (known fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
              .collect(Collectors.joining(", ")) + ")";
      return origin.atLine(lines.lineOf(path)).describe() + ": " + ref + ": " + dotted(path) + " is not a field of "
          + kind + known + ": fix its spelling or remove it";
    }
    String problem;
    Object found = valueAt(raw, path);
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      Class<?> target = mismatch.getTargetType();
      if (target.isEnum()) {
        problem = describe(found) + " is not one of " + Arrays.stream(target.getEnumConstants())
            .map(String::valueOf).collect(Collectors.joining(", "));
      } else {
        problem = "must be " + expected(target) + ", not " + describe(found);
      }
    } else if (e instanceof InvalidFormatException invalid) {
      problem = describe(invalid.getValue()) + " is not valid here";
    } else if (e instanceof ValueInstantiationException instantiation) {
      problem = "must be " + expected(instantiation.getType().getRawClass()) + ", not " + describe(found);
    } else {
      // Jackson's own words name Java classes; the value and the field are what the user can act on.
      problem = "cannot hold " + describe(found);
    }
    if (found instanceof Map<?, ?> map && map.keySet().stream().anyMatch(key -> key instanceof Map<?, ?>)) {
      problem += " (this looks like a Helm template, {{ ... }}: render it with `helm template` and audit the result)";
    }
    return origin.atLine(lines.lineOf(path)).describe() + ": " + ref + ": " + dotted(path) + " " + problem;
  }

  private static String expected(Class<?> type) {
    if (type == IntOrString.class) {
      return "an integer or a string (such as 1 or \"25%\")";
    }
    if (type == Quantity.class) {
      return "a quantity (such as 5Gi)";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a mapping (" + type.getSimpleName() + ")";
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof String s) {
      return Quoted.quoted(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
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

  private static Object valueAt(Object root, List<Object> path) {
    Object node = root;
    for (Object step : path) {
      if (step instanceof String key && node instanceof Map<?, ?> map) {
        node = map.get(key);
      } else if (step instanceof Integer index && node instanceof List<?> list && index >= 0 && index < list.size()) {
        node = list.get(index);
      } else {
        return null;
      }
    }
    return node;
  }

  static String dotted(List<Object> path) {
    StringBuilder out = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(step);
      }
    }
    return out.length() == 0 ? "(the object)" : out.toString();
  }

  private static String nameOf(Map<?, ?> raw) {
    if (raw.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") instanceof String name) {
      return Quoted.name(name);
    }
    return "(no name)";
  }

  /** The path of the first null item of a list in the object, or null when it has none. */
  private static List<Object> emptyItem(Object value, List<Object> path) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        path.add(String.valueOf(entry.getKey()));
        List<Object> found = emptyItem(entry.getValue(), path);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        path.add(i);
        if (list.get(i) == null) {
          return path;
        }
        List<Object> found = emptyItem(list.get(i), path);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
