package io.walguard.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A database file and its companions: {@code -wal}, {@code -shm} and the rollback {@code -journal}. SQLite follows
 * symbolic links and keeps the companions next to the real file, so they are named after the resolved path.
 */
public record DatabaseFiles(Path database, Path wal, Path shm, Path journal) {

  /** The files named after {@code database} as it is written, without resolving links. */
  static DatabaseFiles of(Path database) {
    Path abs = database.toAbsolutePath().normalize();
    String name = abs.getFileName().toString();
    return new DatabaseFiles(
        abs, abs.resolveSibling(name + "-wal"), abs.resolveSibling(name + "-shm"), abs.resolveSibling(name + "-journal"));
  }

  /**
   * The files of an existing database, with every symbolic link in its path resolved as SQLite resolves it, or a
   * {@link ToolboxException} that says what is wrong with the path. Nothing is created: a typo in the path must not
   * leave an empty database behind.
   */
  public static DatabaseFiles existing(Path database, String command) throws ToolboxException {
    if (!Files.exists(database)) {
      throw new ToolboxException("database file " + database + " does not exist; walguard sqlite " + command
          + " never creates one: check the path and that the volume is mounted");
    }
    if (!Files.isRegularFile(database)) {
      throw new ToolboxException(database + " is not a regular file; give the path of the SQLite database file itself");
    }
    if (!Files.isReadable(database)) {
      throw new ToolboxException("database file " + database + " is not readable by this user; run as the user that "
          + "owns it (securityContext runAsUser / fsGroup)");
    }
    try {
      return of(database.toRealPath());
    } catch (IOException e) {
      throw new ToolboxException("cannot resolve " + database + ": " + e.getMessage(), e);
    }
  }

  /** The size of a file, or null when it does not exist. */
  public static Long sizeIfPresent(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return null;
    }
  }

  /** The size of the WAL, 0 when there is none (an absent WAL holds nothing to checkpoint). */
  public long walBytes() {
    Long size = sizeIfPresent(wal);
    return size == null ? 0 : size;
  }

  public boolean walExists() {
    return Files.exists(wal, LinkOption.NOFOLLOW_LINKS);
  }
}
