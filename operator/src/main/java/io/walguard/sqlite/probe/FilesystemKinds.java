package io.walguard.sqlite.probe;

import io.walguard.storage.StorageKind;
import java.util.Locale;
import java.util.Map;

/**
 * Which kind of storage a filesystem type from mountinfo is, for the probe's own verdict.
 *
 * <p>The lookup lives in one method, {@link #provisionalKindOf}, with its own small table: the shared filesystem
 * type table of io.walguard.storage is meant to replace it, and the probe should then ask that table instead.
 */
public final class FilesystemKinds {

  private FilesystemKinds() {}

  /** The filesystem type, and how it was matched. */
  public record Match(StorageKind kind, String rule) {}

  private static final Map<String, StorageKind> PROVISIONAL_TYPES = Map.ofEntries(
      Map.entry("nfs", StorageKind.network),
      Map.entry("nfs4", StorageKind.network),
      Map.entry("cifs", StorageKind.network),
      Map.entry("smb3", StorageKind.network),
      Map.entry("smbfs", StorageKind.network),
      Map.entry("ceph", StorageKind.network),
      Map.entry("glusterfs", StorageKind.network),
      Map.entry("lustre", StorageKind.network),
      Map.entry("gpfs", StorageKind.network),
      Map.entry("beegfs", StorageKind.network),
      Map.entry("9p", StorageKind.network),
      Map.entry("ocfs2", StorageKind.network),
      Map.entry("gfs2", StorageKind.network),
      Map.entry("fuse", StorageKind.fuse),
      Map.entry("fuseblk", StorageKind.fuse),
      Map.entry("ext2", StorageKind.local),
      Map.entry("ext3", StorageKind.local),
      Map.entry("ext4", StorageKind.local),
      Map.entry("xfs", StorageKind.local),
      Map.entry("btrfs", StorageKind.local),
      Map.entry("zfs", StorageKind.local),
      Map.entry("f2fs", StorageKind.local),
      Map.entry("vfat", StorageKind.local),
      Map.entry("tmpfs", StorageKind.local),
      Map.entry("overlay", StorageKind.local));

  /**
   * The kind for a mountinfo filesystem type: exact names from a small built-in table, and every {@code fuse.*}
   * subtype (gcsfuse, mountpoint-s3, s3fs, rclone, bindfs ...) as fuse.
   */
  public static Match provisionalKindOf(String fstype) {
    String type = fstype.toLowerCase(Locale.ROOT);
    StorageKind exact = PROVISIONAL_TYPES.get(type);
    if (exact != null) return new Match(exact, "filesystem type " + type);
    if (type.startsWith("fuse.")) return new Match(StorageKind.fuse, "filesystem type " + type + " (a FUSE subtype)");
    return new Match(StorageKind.unknown, "filesystem type " + type + " is not in the table");
  }
}
