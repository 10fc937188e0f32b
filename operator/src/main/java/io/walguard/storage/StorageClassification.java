package io.walguard.storage;

import java.util.Optional;

/**
 * The classifier's answer for one claim.
 *
 * @param kind what backs the volume
 * @param evidence which object and field decided it, e.g. {@code StorageClass efs-sc: provisioner efs.csi.aws.com}
 * @param nodeLocalLocks true when mount options make POSIX locks node-local (NFS {@code nolock},
 *     {@code local_lock=all|posix} on NFS v2/v3, SMB {@code nobrl}): then a rollback journal is not safe across nodes
 * @param lockEvidence which option made locks node-local, or null
 * @param storageClassName the class the claim resolved to (null when none)
 * @param driver the CSI driver, provisioner or in-tree source that was matched (null when none)
 */
public record StorageClassification(
    StorageKind kind,
    String evidence,
    boolean nodeLocalLocks,
    String lockEvidence,
    String storageClassName,
    String driver) {

  public static StorageClassification of(StorageKind kind, String evidence) {
    return new StorageClassification(kind, evidence, false, null, null, null);
  }

  public Optional<String> lockEvidenceText() {
    return Optional.ofNullable(lockEvidence);
  }
}
