package io.walguard.storage;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.StorageOverride;
import io.walguard.core.Annotations;
import io.walguard.core.Facts;
import io.walguard.core.InMemoryFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What backs a database's claim: ground truth first, heuristics after, and always the evidence (DESIGN.md section 5).
 *
 * <ol>
 *   <li>an explicit override: {@code spec.storage}, then {@code walguard.io/storage} on the PV, then on the
 *       StorageClass;
 *   <li>what a probe pod saw: the filesystem type of the mount;
 *   <li>the bound PV: its in-tree volume source, or its CSI driver refined by volume attributes;
 *   <li>the StorageClass: its provisioner refined by parameters and access modes;
 *   <li>a mount option that only network filesystems take (e.g. {@code nfsvers}), when no driver entry decided;
 *   <li>{@code ReadWriteMany} on a driver the table does not know: network, assumed;
 *   <li>otherwise unknown, with what was seen on the way.
 * </ol>
 *
 * <p>Pure: it reads {@link Facts} and the {@link DriverTable}, nothing else.
 */
public final class StorageClassifier {

  private final DriverTable drivers;

  public StorageClassifier(DriverTable drivers) {
    this.drivers = drivers;
  }

  public StorageClassification classify(Facts facts, SqliteDatabase database) {
    var spec = database.getSpec();
    String claimName = spec == null || ClaimVolume.blank(spec.getClaimName()) ? null : spec.getClaimName();
    StorageOverride override = spec == null ? null : spec.getStorage();
    return classify(facts, namespaceOf(facts, database), claimName, override, facts.probedMount(database));
  }

  /**
   * Classifies a claim that no SqliteDatabase names yet, e.g. a PVC being admitted (put it in the facts first) or
   * one opted in with {@code walguard.io/sqlite}. No probe result applies to it.
   *
   * @param override the override a caller holds for it, or null / {@code auto} for none
   */
  public StorageClassification classifyClaim(Facts facts, String namespace, String claimName,
      StorageOverride override) {
    return classify(facts, namespace, claimName, override, Optional.empty());
  }

  private StorageClassification classify(Facts facts, String namespace, String claimName, StorageOverride override,
      Optional<MountObservation> probe) {
    ClaimVolume v = new ClaimVolume(facts, drivers, namespace, claimName);
    List<NodeLocalLocks.Source> options = optionSources(v, probe);
    Steps steps = new Steps(v);
    Decision decision = steps.override(override)
        .or(() -> steps.probe(probe))
        .or(steps::volume)
        .or(steps::storageClass)
        .or(() -> steps.mountOptions(options))
        .or(steps::readWriteMany)
        .orElseGet(steps::unknown);
    NodeLocalLocks.Result locks = NodeLocalLocks.find(options, nfsVersion(probe, v));
    return new StorageClassification(decision.kind(), decision.evidence(), locks.nodeLocal(), locks.evidence(),
        v.className, v.driver());
  }

  private record Decision(StorageKind kind, String evidence) {}

  /** The classification steps in order; each either decides or leaves a note for the final evidence. */
  private final class Steps {
    private final ClaimVolume v;
    private final List<String> notes = new ArrayList<>();
    /** Driver names the table does not know, each as "object: field name". */
    private final List<String> unknownDrivers = new ArrayList<>();
    /** A table entry matched a driver name but could not tell the kind (the backend decides). */
    private boolean knownUndecided;

    Steps(ClaimVolume v) {
      this.v = v;
    }

    Optional<Decision> override(StorageOverride override) {
      if (override != null && override != StorageOverride.auto) {
        return decided(StorageKind.valueOf(override.name()), "spec.storage override");
      }
      Optional<Decision> onVolume = annotation(v.volume, "PV");
      return onVolume.isPresent() ? onVolume : annotation(v.storageClass, "StorageClass");
    }

    private Optional<Decision> annotation(HasMetadata object, String kind) {
      Map<String, String> annotations = object == null ? null : object.getMetadata().getAnnotations();
      String value = annotations == null ? null : annotations.get(Annotations.STORAGE);
      if (value == null) {
        return Optional.empty();
      }
      String subject = kind + " " + object.getMetadata().getName() + ": annotation " + Annotations.STORAGE;
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "local" -> decided(StorageKind.local, subject);
        case "network" -> decided(StorageKind.network, subject);
        case "fuse" -> decided(StorageKind.fuse, subject);
        default -> {
          notes.add(subject + " \"" + value + "\" is not local, network or fuse, so it is ignored");
          yield Optional.empty();
        }
      };
    }

    Optional<Decision> probe(Optional<MountObservation> probe) {
      if (probe.isEmpty()) {
        return Optional.empty();
      }
      String fstype = probe.get().fstype();
      if (ClaimVolume.blank(fstype)) {
        notes.add("probe: no filesystem type was observed");
        return Optional.empty();
      }
      Optional<DriverEntry> entry = drivers.filesystem(fstype);
      if (entry.isEmpty() || entry.get().kind() == StorageKind.unknown) {
        notes.add("probe: fstype " + fstype + " is not in the filesystem table");
        return Optional.empty();
      }
      String source = probe.get().source();
      return decided(entry.get().kind(),
          "probe: fstype " + fstype + (ClaimVolume.blank(source) ? "" : " (" + source + ")"));
    }

    Optional<Decision> volume() {
      if (v.bindingNote != null) {
        notes.add(v.bindingNote);
      }
      if (!v.claimFound() || v.volumeName == null) {
        return Optional.empty();
      }
      if (v.volume == null) {
        notes.add("PV " + v.volumeName + " (claim " + v.claimName + ": spec.volumeName) is not known, so the"
            + " StorageClass decides");
        return Optional.empty();
      }
      String pv = "PV " + v.volumeName + ": ";
      if (v.inTreeField != null) {
        DriverEntry entry = drivers.volumeSource(v.inTreeField).orElseThrow();
        DriverEntry.Refined refined = entry.refine(v.accessModeInputs());
        return known(refined, pv + "spec." + v.inTreeField + details(entry, v.inTreeSource) + refined.because(),
            entry);
      }
      String field = v.csiDriver != null ? "spec.csi.driver" : v.flexDriver != null ? "spec.flexVolume.driver" : null;
      if (field == null) {
        notes.add(pv + "no volume source that the table knows");
        return Optional.empty();
      }
      String name = v.csiDriver != null ? v.csiDriver : v.flexDriver;
      if (v.volumeDriverEntry.isEmpty()) {
        unknownDrivers.add(pv + field + " " + name);
        return Optional.empty();
      }
      DriverEntry entry = v.volumeDriverEntry.get();
      DriverEntry.Refined refined = entry.refine(v.volumeInputs());
      return known(refined, pv + field + " " + name + matched(entry) + refined.because(), entry);
    }

    Optional<Decision> storageClass() {
      if (!v.claimFound()) {
        return Optional.empty();
      }
      if (v.classNote != null) {
        notes.add(v.classNote);
      }
      if (v.storageClass == null) {
        if (v.className != null) {
          notes.add("StorageClass " + v.className + " is not known");
        } else if (v.betaClass) {
          if (v.volumeName == null) {
            notes.add("claim " + v.claimName + " has no class and no PV in spec.volumeName");
          }
        } else if (v.claim.getSpec() != null && v.claim.getSpec().getStorageClassName() != null) {
          // No class is normal for a claim bound to a static PV; it only explains something when none is named.
          if (v.volumeName == null) {
            notes.add("claim " + v.claimName + " has storageClassName \"\" (no class) and no PV in spec.volumeName");
          }
        } else {
          notes.add("claim " + v.claimName + " names no storageClassName and no StorageClass is marked default");
        }
        return Optional.empty();
      }
      String provisioner = v.storageClass.getProvisioner();
      String subject = "StorageClass " + v.className + ": provisioner " + provisioner;
      if (v.classDriverEntry.isEmpty()) {
        unknownDrivers.add(subject);
        return Optional.empty();
      }
      DriverEntry entry = v.classDriverEntry.get();
      DriverEntry.Refined refined = entry.refine(v.classInputs());
      return known(refined, subject + matched(entry) + refined.because(), entry);
    }

    /** An option only network filesystems take (nfsvers, nobrl, ...) tells what the drivers could not. */
    Optional<Decision> mountOptions(List<NodeLocalLocks.Source> sources) {
      if (!v.claimFound()) {
        return Optional.empty();
      }
      for (NodeLocalLocks.Source source : sources) {
        for (String option : source.options()) {
          String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
          Optional<DriverEntry> entry = drivers.mountOption(name.trim());
          if (entry.isPresent() && entry.get().kind() != StorageKind.unknown) {
            List<String> parts = new ArrayList<>();
            parts.add(source.label() + " " + option
                + (entry.get().description() == null ? "" : " (" + entry.get().description() + ")"));
            unknownDrivers.forEach(d -> parts.add(d + " is not in the driver table"));
            unknownDrivers.clear();
            return decided(entry.get().kind(), String.join("; ", parts));
          }
        }
      }
      return Optional.empty();
    }

    /**
     * ReadWriteMany is a hint, not a fact: most volumes many nodes can mount are shared filesystems. It is not used
     * against a table entry that deliberately says the name alone cannot tell (kind unknown).
     */
    Optional<Decision> readWriteMany() {
      if (!v.claimFound() || !v.accessModes.contains("ReadWriteMany") || knownUndecided) {
        return Optional.empty();
      }
      // The StorageClass's provisioner is named when it is the unknown one; else the PV's driver; else the claim.
      String subject = unknownDrivers.isEmpty() ? "claim " + v.claimName
          : unknownDrivers.get(unknownDrivers.size() - 1);
      unknownDrivers.clear();
      return decided(StorageKind.network, subject + " with ReadWriteMany (assumed network)");
    }

    Decision unknown() {
      List<String> parts = new ArrayList<>();
      if (!v.claimFound()) {
        parts.add(v.claimName == null ? "the SqliteDatabase names no claim (spec.claimName)"
            : "claim " + v.claimName + " not found in namespace " + v.namespace);
      }
      unknownDrivers.forEach(d -> parts.add(d + " is not in the driver table"));
      parts.addAll(notes);
      // How to resolve it is the verdict's reason, in the words of the door that shows it; evidence says what was seen.
      return new Decision(StorageKind.unknown, String.join("; ", parts));
    }

    /** A table entry matched; an unknown kind (the backend decides, and nothing told) lets the next step try. */
    private Optional<Decision> known(DriverEntry.Refined refined, String evidence, DriverEntry entry) {
      if (refined.kind() == StorageKind.unknown) {
        knownUndecided = true;
        notes.add(evidence + (entry.description() == null ? "" : ": " + entry.description()));
        return Optional.empty();
      }
      return decided(refined.kind(), evidence);
    }

    private Optional<Decision> decided(StorageKind kind, String evidence) {
      List<String> parts = new ArrayList<>();
      parts.add(evidence);
      parts.addAll(notes);
      return Optional.of(new Decision(kind, String.join("; ", parts)));
    }
  }

  private static String matched(DriverEntry entry) {
    return entry.isPattern() ? " (table entry " + entry.name() + ")" : "";
  }

  private static String details(DriverEntry entry, Map<?, ?> source) {
    String shown = entry.details().stream()
        .filter(f -> source.get(f) != null && !String.valueOf(source.get(f)).isBlank())
        .map(f -> f + " " + show(source.get(f)))
        .collect(Collectors.joining(", "));
    return shown.isEmpty() ? "" : " (" + shown + ")";
  }

  private static String show(Object value) {
    return value instanceof List<?> list
        ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
        : String.valueOf(value);
  }

  /**
   * Where mount options are read. A probe's options are what the kernel actually applied, so they are the only
   * source when present. Otherwise every place that can carry options counts (the PV and its class, which may
   * disagree when a static PV was written by hand): a lock option found anywhere is reported with its place, as
   * wrongly trusting locks corrupts a database while wrongly distrusting them only rules out the journal remedy.
   */
  private static List<NodeLocalLocks.Source> optionSources(ClaimVolume v, Optional<MountObservation> probe) {
    if (probe.isPresent() && !ClaimVolume.blank(probe.get().options())) {
      return List.of(NodeLocalLocks.Source.of("probe", probe.get().options()));
    }
    List<NodeLocalLocks.Source> sources = new ArrayList<>();
    if (v.volume != null && v.volume.getSpec() != null) {
      String pv = "PV " + v.volumeName + ": ";
      sources.add(NodeLocalLocks.Source.of(pv + "spec.mountOptions", v.volume.getSpec().getMountOptions()));
      v.volumeDriverEntry.ifPresent(entry -> entry.mountOptionParameters().forEach(param -> sources.add(
          NodeLocalLocks.Source.of(pv + v.volumeAttributesField() + "." + param, v.volumeAttributes().get(param)))));
    }
    if (v.storageClass != null) {
      String sc = "StorageClass " + v.className + ": ";
      sources.add(NodeLocalLocks.Source.of(sc + "mountOptions", v.storageClass.getMountOptions()));
      v.classDriverEntry.ifPresent(entry -> entry.mountOptionParameters().forEach(param -> sources.add(
          NodeLocalLocks.Source.of(sc + "parameters." + param, v.classParameters().get(param)))));
    }
    return sources;
  }

  /**
   * The NFS major version known apart from the mount options: what a probe saw (the kernel names NFS v4 mounts
   * {@code nfs4} and v2/v3 mounts {@code nfs}), else the version the volume's driver always mounts with.
   */
  private static String nfsVersion(Optional<MountObservation> probe, ClaimVolume v) {
    String fstype = probe.map(MountObservation::fstype).orElse("");
    return switch (fstype) {
      case "nfs4" -> "4";
      case "nfs" -> "3";
      default -> v.volumeDriverEntry.or(() -> v.csiDriver == null && v.flexDriver == null ? v.classDriverEntry
              : Optional.empty())
          .map(DriverEntry::nfsVersion)
          .map(version -> version.contains(".") ? version.substring(0, version.indexOf('.')) : version)
          .orElse(null);
    };
  }

  /** A database read from a manifest may name no namespace: it lives where the facts put such objects. */
  private static String namespaceOf(Facts facts, SqliteDatabase database) {
    String namespace = database.getMetadata() == null ? null : database.getMetadata().getNamespace();
    if (!ClaimVolume.blank(namespace)) {
      return namespace;
    }
    return facts instanceof InMemoryFacts memory ? memory.namespaceOf(database) : "default";
  }
}
