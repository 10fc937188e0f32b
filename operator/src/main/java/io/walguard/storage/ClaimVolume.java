package io.walguard.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.core.Facts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the facts say about one claim's volume: the claim, its bound PV, its StorageClass (explicit, none, or the
 * default), the access modes, and which table entries its driver names match. Gathered once, read by every step
 * of the classifier.
 */
final class ClaimVolume {

  static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  static final String BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
  /** The class of a claim before spec.storageClassName existed; Kubernetes still honours it first. */
  static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

  /** Reads a PV spec as plain fields, so the in-tree volume sources can be looked up in the table by name. */
  private static final ObjectMapper FIELDS = new ObjectMapper();

  final String namespace;
  final String claimName;
  final PersistentVolumeClaim claim;
  /** The PV the claim names in spec.volumeName, else the one whose spec.claimRef alone names the claim, or null. */
  final String volumeName;
  final PersistentVolume volume;
  /** How the PV was found when the claim names none (its claimRef), or why none was, or null. */
  final String bindingNote;
  final String className;
  final StorageClass storageClass;
  /**
   * How the class was found when spec.storageClassName does not say it (the beta annotation, the default class, or
   * several defaults), or null.
   */
  final String classNote;
  /** Whether the claim names its class with {@link #BETA_CLASS}. */
  final boolean betaClass;
  final Set<String> accessModes;
  /** The in-tree volume field of the PV (e.g. {@code nfs}) and its value, or null. */
  final String inTreeField;
  final Map<?, ?> inTreeSource;
  final String csiDriver;
  final String flexDriver;
  final Optional<DriverEntry> volumeDriverEntry;
  final Optional<DriverEntry> classDriverEntry;

  ClaimVolume(Facts facts, DriverTable table, String namespace, String claimName) {
    this.namespace = namespace;
    this.claimName = claimName;
    this.claim = claimName == null ? null : facts.claim(namespace, claimName).orElse(null);
    var claimSpec = claim == null ? null : claim.getSpec();
    String named = claimSpec == null || blank(claimSpec.getVolumeName()) ? null : claimSpec.getVolumeName();
    List<PersistentVolume> reserving = named != null || claim == null ? List.of()
        : facts.persistentVolumes().stream().filter(pv -> reserves(pv, claim, namespace)).toList();
    if (reserving.size() == 1) {
      this.volume = reserving.get(0);
      this.volumeName = name(volume);
      this.bindingNote = "claim " + claimName + " names no spec.volumeName, and PV " + volumeName + " names it in"
          + " spec.claimRef, so the PV controller binds them";
    } else {
      this.volumeName = named;
      this.volume = named == null ? null : facts.persistentVolume(named).orElse(null);
      this.bindingNote = reserving.isEmpty() ? null : "PVs " + reserving.stream().map(ClaimVolume::name)
          .collect(Collectors.joining(", ")) + " all name claim " + claimName + " in spec.claimRef, so which one"
          + " binds is not known; set the claim's spec.volumeName";
    }

    String requested = claimSpec == null ? null : claimSpec.getStorageClassName();
    String beta = claim == null || claim.getMetadata().getAnnotations() == null ? null
        : claim.getMetadata().getAnnotations().get(BETA_CLASS);
    this.betaClass = beta != null;
    if (betaClass) {
      // Kubernetes reads the annotation ahead of the field, and the default-class admission leaves such a claim be.
      this.className = blank(beta) ? null : beta.trim();
      this.classNote = "claim " + claimName + ": annotation " + BETA_CLASS + " " + (blank(beta) ? "\"\" (no class)"
          : className) + (requested == null || requested.equals(beta) ? ""
              : ", which Kubernetes honours ahead of spec.storageClassName " + (requested.isEmpty() ? "\"\""
                  : requested));
    } else if (claim == null || requested != null) {
      this.className = blank(requested) ? null : requested;
      this.classNote = null;
    } else {
      List<StorageClass> defaults = facts.storageClasses().stream()
          .filter(ClaimVolume::isDefault)
          .sorted(Comparator.comparing(ClaimVolume::created).reversed().thenComparing(ClaimVolume::name))
          .toList();
      this.className = defaults.isEmpty() ? null : name(defaults.get(0));
      this.classNote = defaults.isEmpty() ? null
          : defaults.size() == 1
              ? "claim " + claimName + " names no storageClassName, so the default class " + className + " applies"
              : "claim " + claimName + " names no storageClassName; of the default classes "
                  + defaults.stream().map(ClaimVolume::name).collect(Collectors.joining(", ")) + ", "
                  + className + " applies, the newest, as Kubernetes picks";
    }
    this.storageClass = className == null ? null : facts.storageClass(className).orElse(null);

    Set<String> modes = new LinkedHashSet<>();
    if (claimSpec != null && claimSpec.getAccessModes() != null) {
      modes.addAll(claimSpec.getAccessModes());
    }
    if (volume != null && volume.getSpec() != null && volume.getSpec().getAccessModes() != null) {
      modes.addAll(volume.getSpec().getAccessModes());
    }
    this.accessModes = Set.copyOf(modes);

    var pvSpec = volume == null ? null : volume.getSpec();
    this.csiDriver = pvSpec == null || pvSpec.getCsi() == null ? null : pvSpec.getCsi().getDriver();
    this.flexDriver = pvSpec == null || pvSpec.getFlexVolume() == null ? null : pvSpec.getFlexVolume().getDriver();
    Map.Entry<String, Map<?, ?>> inTree = pvSpec == null ? null : inTreeSource(table, FIELDS.convertValue(pvSpec,
        Map.class));
    this.inTreeField = inTree == null ? null : inTree.getKey();
    this.inTreeSource = inTree == null ? null : inTree.getValue();
    this.volumeDriverEntry = table.driver(csiDriver != null ? csiDriver : flexDriver);
    this.classDriverEntry = storageClass == null ? Optional.empty() : table.driver(storageClass.getProvisioner());
  }

  boolean claimFound() {
    return claim != null;
  }

  /** The CSI driver, flex driver, in-tree source or provisioner that names the volume's kind of storage. */
  String driver() {
    if (csiDriver != null) {
      return csiDriver;
    }
    if (flexDriver != null) {
      return flexDriver;
    }
    if (inTreeField != null) {
      return "spec." + inTreeField;
    }
    return storageClass == null ? null : storageClass.getProvisioner();
  }

  Map<String, String> volumeAttributes() {
    if (volume == null || volume.getSpec() == null) {
      return Map.of();
    }
    var spec = volume.getSpec();
    if (spec.getCsi() != null && spec.getCsi().getVolumeAttributes() != null) {
      return spec.getCsi().getVolumeAttributes();
    }
    if (spec.getFlexVolume() != null && spec.getFlexVolume().getOptions() != null) {
      return spec.getFlexVolume().getOptions();
    }
    return Map.of();
  }

  String volumeAttributesField() {
    return csiDriver != null ? "spec.csi.volumeAttributes" : "spec.flexVolume.options";
  }

  Map<String, String> classParameters() {
    return storageClass == null || storageClass.getParameters() == null ? Map.of() : storageClass.getParameters();
  }

  String csiFsType() {
    return volume == null || volume.getSpec() == null || volume.getSpec().getCsi() == null ? null
        : volume.getSpec().getCsi().getFsType();
  }

  /** Refinement inputs for the PV's driver: its own attributes first, then its class's parameters. */
  Refinement.Inputs volumeInputs() {
    Map<String, Map<String, String>> params = new LinkedHashMap<>();
    params.put(volumeAttributesField(), volumeAttributes());
    if (storageClass != null) {
      params.put("StorageClass " + className + " parameters", classParameters());
    }
    return new Refinement.Inputs(params, accessModes, csiFsType());
  }

  Refinement.Inputs classInputs() {
    return new Refinement.Inputs(Map.of("parameters", classParameters()), accessModes, null);
  }

  Refinement.Inputs accessModeInputs() {
    return new Refinement.Inputs(Map.of(), accessModes, null);
  }

  private static Map.Entry<String, Map<?, ?>> inTreeSource(DriverTable table, Map<?, ?> spec) {
    for (var field : spec.entrySet()) {
      String name = String.valueOf(field.getKey());
      if (field.getValue() instanceof Map<?, ?> source && !name.equals("csi") && !name.equals("flexVolume")
          && table.volumeSource(name).isPresent()) {
        return Map.entry(name, source);
      }
    }
    return null;
  }

  /**
   * Whether the PV is reserved for this claim by its spec.claimRef: the same namespace and name, and the same uid when
   * both carry one (a uid left from an earlier claim of that name releases the PV instead).
   */
  private static boolean reserves(PersistentVolume pv, PersistentVolumeClaim claim, String namespace) {
    var ref = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    if (ref == null || !claim.getMetadata().getName().equals(ref.getName()) || !namespace.equals(ref.getNamespace())
        || (ref.getKind() != null && !ref.getKind().equals("PersistentVolumeClaim"))) {
      return false;
    }
    String uid = claim.getMetadata().getUid();
    return blank(ref.getUid()) || blank(uid) || ref.getUid().equals(uid);
  }

  /** Either default-class annotation counts, with the value Kubernetes requires: exactly {@code "true"}. */
  static boolean isDefault(StorageClass sc) {
    Map<String, String> annotations = sc.getMetadata() == null ? null : sc.getMetadata().getAnnotations();
    return annotations != null
        && ("true".equals(annotations.get(DEFAULT_CLASS)) || "true".equals(annotations.get(BETA_DEFAULT_CLASS)));
  }

  /** Objects read from manifests have no creationTimestamp: they sort as the oldest, then by name. */
  private static Instant created(HasMetadata object) {
    String stamp = object.getMetadata() == null ? null : object.getMetadata().getCreationTimestamp();
    if (blank(stamp)) {
      return Instant.MIN;
    }
    try {
      return Instant.parse(stamp);
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }

  private static String name(HasMetadata object) {
    return object.getMetadata() == null || object.getMetadata().getName() == null ? ""
        : object.getMetadata().getName();
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
