package io.walguard.sqlite;

/** The modes of {@code PRAGMA wal_checkpoint}, as SQLite documents them. */
public enum CheckpointMode {
  /** Copies what it can without waiting for anyone; never busy, but may stop short of the end of the WAL. */
  PASSIVE,
  /** Waits (busy timeout) for writers to finish and for readers to move to the newest snapshot, then copies all. */
  FULL,
  /** FULL, then waits for readers to leave the WAL so the next writer starts it from the beginning. */
  RESTART,
  /** RESTART, then truncates the WAL file to zero bytes: the only mode that shrinks the file. */
  TRUNCATE
}
