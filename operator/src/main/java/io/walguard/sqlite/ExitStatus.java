package io.walguard.sqlite;

/** The exit statuses of every {@code walguard sqlite} command (documented in docs/sqlite-toolbox.md). */
public final class ExitStatus {
  /** The command did what it was asked (a database not in WAL mode counts for checkpoint). */
  public static final int OK = 0;
  /** The command ran but did not achieve its goal: a busy or partial checkpoint, a journal switch it gave up on, a
   * failed quick_check, a filesystem whose locks or shared mappings do not work. */
  public static final int NOT_ACHIEVED = 1;
  /** Bad input or an error: missing file, not a database, unsafe SQLite library, I/O error. */
  public static final int ERROR = 2;

  private ExitStatus() {}
}
