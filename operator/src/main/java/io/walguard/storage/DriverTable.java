package io.walguard.storage;

import java.nio.file.Path;

/**
 * The CSI driver and provisioner table: data (a YAML resource file), not a chain of ifs. A user's file adds to or
 * overrides the built-in entries.
 */
public final class DriverTable {

  /** The table shipped with walguard ({@code io/walguard/storage/drivers.yaml}). */
  public static DriverTable builtIn() {
    throw new UnsupportedOperationException("DriverTable.builtIn");
  }

  /** The built-in table with a user's file laid over it: entries with the same name replace the built-in ones. */
  public static DriverTable builtInWith(Path userFile) {
    throw new UnsupportedOperationException("DriverTable.builtInWith");
  }
}
