package io.walguard.proof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the two writer processes reach one database. Process A always opens the real file; process B opens it so that
 * some of what SQLite assumes two processes share is shared and some is not.
 *
 * <p>SQLite names the {@code -wal} and {@code -shm} files after the path it was given, so B opening a hard link of the
 * database in another directory gets files of its own next to it; linking (or mounting) A's files there decides what
 * the two share.
 */
enum Arrangement {

  /** Both open the same path: one {@code -shm} mapping, one set of locks, one kernel. The control. */
  ONE_PATH("same path", "everything: files, locks, one -shm mapping", false, false, false),

  /**
   * B opens a hard link of the database, with a hard link of A's {@code -wal} beside it, so the database and log bytes
   * and the database file's locks are shared. B's {@code -shm} is its own file: its own wal-index, and its own WAL
   * locks (which live on the {@code -shm}). Two nodes whose filesystem does not carry locks on the {@code -shm} look
   * like this.
   */
  HARD_LINK(
      "hard link in another directory",
      "file bytes and database-file locks; each its own -shm",
      false,
      false,
      false),

  /**
   * As {@link #HARD_LINK}, except that B's {@code -shm} is A's {@code -shm} seen through a FUSE view with locks
   * forwarded (bind-mounted in place). Bytes and every lock are shared, the WAL locks included; only the mapping is
   * not, because a shared mapping made through FUSE lives in the FUSE file's page cache, not the real file's. This is
   * two nodes on a network filesystem whose locks work: each node maps its own copy of the wal-index.
   */
  SHM_THROUGH_FUSE(
      "hard link, -shm through a FUSE view",
      "file bytes and all locks; each its own copy of the -shm mapping",
      true,
      false,
      true),

  /**
   * As {@link #HARD_LINK}, and B opens with SQLite's {@code unix-none} VFS, which takes no locks at all: what an NFS
   * mount with {@code nolock} or {@code local_lock=all} does between two nodes, where each node's locks are its own.
   */
  HARD_LINK_NO_LOCKS(
      "hard link, unix-none VFS", "file bytes; no locks; each its own -shm", false, false, false),

  /**
   * B opens everything through a bindfs (FUSE) view of A's directory, with locks forwarded to the real files. Besides
   * the private copy of the {@code -shm} mapping, B's reads of the database and the log come from the FUSE page cache,
   * which does not see A's later writes: what a FUSE filesystem without cache invalidation gives.
   */
  FUSE_VIEW(
      "bindfs view, locks forwarded",
      "locks; bytes through a page cache that goes stale; each its own copy of the -shm mapping",
      true,
      false,
      false),

  /**
   * As {@link #FUSE_VIEW} with {@code -o direct_io}: every read and write goes to the real file, as an NFS client
   * revalidates its cache when it takes a lock. The kernel refuses shared mappings of direct-I/O FUSE files, so WAL
   * cannot be opened through it at all.
   */
  FUSE_DIRECT_IO_VIEW(
      "bindfs direct_io view, locks forwarded",
      "locks; bytes read and written directly; no shared mapping possible",
      true,
      true,
      false);

  final String howBOpens;
  final String whatIsShared;
  final boolean fuse;
  final boolean directIo;
  /** Needs {@code mount --bind} of a single file, that is root (CAP_SYS_ADMIN). */
  final boolean bindMount;

  Arrangement(String howBOpens, String whatIsShared, boolean fuse, boolean directIo, boolean bindMount) {
    this.howBOpens = howBOpens;
    this.whatIsShared = whatIsShared;
    this.fuse = fuse;
    this.directIo = directIo;
    this.bindMount = bindMount;
  }

  /**
   * Makes the path through which B opens the database that A has open at {@code databaseOfA} (so that A's {@code
   * -wal} and {@code -shm} exist). Files it bind-mounts are added to {@code mounted}, for the caller to unmount.
   */
  Path routeForB(Path databaseOfA, Path realRoot, Path fuseRoot, List<Path> mounted)
      throws IOException, InterruptedException {
    return switch (this) {
      case ONE_PATH -> databaseOfA;
      case FUSE_VIEW, FUSE_DIRECT_IO_VIEW -> fuseRoot.resolve(realRoot.relativize(databaseOfA));
      case HARD_LINK, HARD_LINK_NO_LOCKS, SHM_THROUGH_FUSE -> {
        Path databaseOfB =
            Files.createLink(
                Files.createDirectories(databaseOfA.getParent().resolveSibling("b")).resolve(databaseOfA.getFileName()),
                databaseOfA);
        // Both must append to one log; without the link B would start a log of its own, a second database.
        Path log = sibling(databaseOfA, "-wal");
        if (Files.exists(log)) {
          Files.createLink(sibling(databaseOfB, "-wal"), log);
        }
        Path shm = sibling(databaseOfA, "-shm");
        if (this == SHM_THROUGH_FUSE && Files.exists(shm)) {
          Path target = Files.createFile(sibling(databaseOfB, "-shm"));
          FileBindMount.mount(fuseRoot.resolve(realRoot.relativize(shm)), target);
          mounted.add(target);
        }
        yield databaseOfB;
      }
    };
  }

  String urlForB(Path databaseOfB) {
    String file = "file:" + databaseOfB;
    return "jdbc:sqlite:" + (this == HARD_LINK_NO_LOCKS ? file + "?vfs=unix-none" : file);
  }

  private static Path sibling(Path database, String suffix) {
    return database.resolveSibling(database.getFileName() + suffix);
  }
}
