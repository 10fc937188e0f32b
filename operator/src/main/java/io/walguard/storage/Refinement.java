package io.walguard.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A condition in the storage table that changes an entry's kind: a parameter (StorageClass parameter or PV volume
 * attribute) with one of some values, an access mode, or a filesystem type. Exactly one of {@code parameter},
 * {@code accessMode} and {@code fsTypes} is set.
 *
 * @param parameter the parameter or volume attribute name, or null
 * @param values the values that count (ignoring case, {@code *} for any run of characters); empty means any
 *     non-empty value
 * @param accessMode an access mode such as {@code ReadWriteMany}, or null
 * @param fsTypes filesystem types of the PV's {@code spec.csi.fsType} or the class's fstype parameter, or empty
 * @param kind the kind when the condition holds
 * @param description one line for people: what the volume is when the condition holds
 */
public record Refinement(
    String parameter,
    List<String> values,
    String accessMode,
    List<String> fsTypes,
    StorageKind kind,
    String description) {

  /** The parameters a StorageClass may use for the filesystem type of its volumes. */
  static final List<String> FSTYPE_PARAMETERS = List.of("csi.storage.k8s.io/fstype", "fsType", "fstype");

  public Refinement {
    values = values == null ? List.of() : List.copyOf(values);
    fsTypes = fsTypes == null ? List.of() : List.copyOf(fsTypes);
  }

  /**
   * What a refinement is tested against.
   *
   * @param parameters named sets of parameters, in the order they are consulted; each name is the prefix of the
   *     field in evidence, e.g. {@code parameters} or {@code spec.csi.volumeAttributes}
   * @param accessModes the access modes of the claim and the PV
   * @param csiFsType the PV's {@code spec.csi.fsType}, or null
   */
  record Inputs(Map<String, Map<String, String>> parameters, Set<String> accessModes, String csiFsType) {}

  /** The words that say why the condition holds (e.g. {@code parameters.protocol nfs}), or empty. */
  Optional<String> test(Inputs inputs) {
    if (accessMode != null) {
      return inputs.accessModes().contains(accessMode) ? Optional.of(accessMode) : Optional.empty();
    }
    if (parameter != null) {
      for (var set : inputs.parameters().entrySet()) {
        Optional<String> hit = find(set.getKey(), set.getValue(), parameter, values);
        if (hit.isPresent()) {
          return hit;
        }
      }
      return Optional.empty();
    }
    if (inputs.csiFsType() != null && anyMatches(fsTypes, inputs.csiFsType())) {
      return Optional.of("spec.csi.fsType " + inputs.csiFsType());
    }
    for (var set : inputs.parameters().entrySet()) {
      for (String name : FSTYPE_PARAMETERS) {
        Optional<String> hit = find(set.getKey(), set.getValue(), name, fsTypes);
        if (hit.isPresent()) {
          return hit;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> find(String prefix, Map<String, String> params, String name, List<String> values) {
    if (params == null) {
      return Optional.empty();
    }
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    if (!values.isEmpty() && !anyMatches(values, value)) {
      return Optional.empty();
    }
    return Optional.of(prefix + "." + name + " " + value);
  }

  private static boolean anyMatches(List<String> patterns, String value) {
    return patterns.stream().anyMatch(p -> NamePattern.matches(p, value.trim()));
  }
}
