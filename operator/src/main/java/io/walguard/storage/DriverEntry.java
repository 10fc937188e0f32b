package io.walguard.storage;

import java.util.List;
import java.util.Optional;

/**
 * One row of the storage table: a CSI driver or provisioner, a filesystem type, or an in-tree PV volume source.
 *
 * @param name the exact name, or a pattern with {@code *}
 * @param kind the kind when no refinement holds
 * @param description one line for people
 * @param refine conditions that change the kind; the first that holds wins
 * @param mountOptionParameters parameters or volume attributes that carry mount options (drivers only)
 * @param details fields of the in-tree volume source shown in evidence (volume sources only)
 * @param nfsVersion the NFS version the driver always mounts with, when it mounts NFS (drivers only), or null: then
 *     options that only NFS v2 and v3 honour ({@code nolock}, {@code local_lock}) do not apply
 */
public record DriverEntry(
    String name,
    StorageKind kind,
    String description,
    List<Refinement> refine,
    List<String> mountOptionParameters,
    List<String> details,
    String nfsVersion) {

  public DriverEntry {
    refine = refine == null ? List.of() : List.copyOf(refine);
    mountOptionParameters = mountOptionParameters == null ? List.of() : List.copyOf(mountOptionParameters);
    details = details == null ? List.of() : List.copyOf(details);
  }

  public boolean isPattern() {
    return pattern().isPattern();
  }

  NamePattern pattern() {
    return NamePattern.of(name);
  }

  /** The kind for these inputs, and the words that say which refinement decided it (empty for the base kind). */
  Refined refine(Refinement.Inputs inputs) {
    for (Refinement r : refine) {
      Optional<String> why = r.test(inputs);
      if (why.isPresent()) {
        return new Refined(r.kind(),
            " with " + why.get() + (r.description() == null ? "" : " (" + r.description() + ")"));
      }
    }
    return new Refined(kind, "");
  }

  record Refined(StorageKind kind, String because) {}
}
