package io.walguard.storage;

/** What backs a volume, as far as SQLite's WAL is concerned. */
public enum StorageKind {
  /** One kernel at a time by construction: block devices, local PVs, hostPath. */
  local,
  /** A shared filesystem that many nodes can mount at once. */
  network,
  /** A userspace filesystem: lock and mmap semantics are not trustworthy. */
  fuse,
  unknown
}
