package io.walguard.core;

/** Whether SQLite in WAL mode is safe for this database as it is now, walguard's own remedies included. */
public enum Safety {
  safe, unsafe, unknown
}
