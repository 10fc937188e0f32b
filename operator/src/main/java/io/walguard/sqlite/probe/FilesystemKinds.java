package io.walguard.sqlite.probe;

import io.walguard.storage.DriverEntry;
import io.walguard.storage.DriverTable;
import io.walguard.storage.StorageKind;

/** Which kind of storage a filesystem type from mountinfo is, looked up in walguard's storage table. */
public final class FilesystemKinds {

  private FilesystemKinds() {}

  /** The kind, and the words that say which entry decided it. */
  public record Match(StorageKind kind, String rule) {}

  /**
   * The kind for a mountinfo filesystem type from the {@code filesystems} section of the storage table: an exact
   * name, else the most specific pattern ({@code fuse.*}); unknown when no entry matches.
   */
  public static Match of(DriverTable table, String fstype) {
    return table.filesystem(fstype)
        .map(e -> new Match(e.kind(), "filesystem type " + fstype + " (" + describe(e) + ")"))
        .orElseGet(() -> new Match(StorageKind.unknown,
            "filesystem type " + fstype + " is not in the storage table"));
  }

  private static String describe(DriverEntry e) {
    return e.description() == null ? e.name() : e.description();
  }
}
