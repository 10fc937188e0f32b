package io.walguard.sqlite;

/**
 * The journal modes {@code set-journal-mode} converts to. Only WAL is a property of the file (bytes 18-19 = 2); the
 * three rollback modes all leave the header at 1 and differ only in how each connection finishes its journal, which
 * the application chooses every time it opens the database.
 */
public enum JournalTarget {
  DELETE,
  TRUNCATE,
  PERSIST,
  WAL;

  public boolean isWal() {
    return this == WAL;
  }

  /** What the file header must say once the conversion is done. */
  public DatabaseHeader.Journal headerJournal() {
    return isWal() ? DatabaseHeader.Journal.wal : DatabaseHeader.Journal.rollback;
  }
}
