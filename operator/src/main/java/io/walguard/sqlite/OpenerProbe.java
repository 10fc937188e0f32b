package io.walguard.sqlite;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the kernel, through non-blocking POSIX byte-range locks ({@link FileChannel#tryLock}, which is {@code fcntl}
 * {@code F_SETLK} on Linux), whether other processes hold SQLite's locks on a database right now. Nothing is read
 * or written; each lock is released as soon as it is granted.
 *
 * <p>In WAL mode every connection holds a shared lock on the {@code -shm} "DMS" byte (128) for as long as it is open,
 * a writer holds byte 120 exclusively, a checkpointer byte 121, and a reader in a read transaction holds one of the
 * read-mark bytes 123-127 shared. So an exclusive try on byte 128 answers "is anyone else connected", shared tries on
 * 120 and 121 "is anyone writing or checkpointing", and exclusive tries on 123-127 "is anyone reading". An exclusive
 * try looks to other connections exactly like a checkpointer or a closing connection taking the same lock for a
 * moment, which SQLite retries on its own. In rollback-journal mode connections hold no locks between transactions:
 * a writer holds the RESERVED or PENDING byte of the database file (seen by shared tries), and a connection inside a
 * transaction holds the 510-byte SHARED range read-locked (seen by an exclusive try on the range, which a writer
 * committing holds write-locked). A WAL connection holds that SHARED lock for as long as it is open.
 *
 * <p>POSIX locks belong to a process and closing any descriptor of a file drops all of that process's locks on it.
 * Call this only while this process has no SQLite connection open on the same database. Locks held by this process
 * itself are never seen.
 */
public final class OpenerProbe {

  static final int SHM_WRITE = 120;
  static final int SHM_CHECKPOINT = 121;
  static final int SHM_FIRST_READ_MARK = 123;
  static final int SHM_READ_MARKS = 5;
  static final int SHM_DMS = 128;
  static final long DB_PENDING = 0x40000000L;
  static final long DB_RESERVED = DB_PENDING + 1;
  static final long DB_SHARED_FIRST = DB_PENDING + 2;
  static final long DB_SHARED_SIZE = 510;

  /**
   * What the probe saw. A null field was not observable with this method.
   *
   * @param otherOpeners another process has the database open (WAL mode only)
   * @param writer another process holds the write lock now
   * @param checkpointer another process is checkpointing now (WAL mode only)
   * @param readMarksHeld how many of the five WAL read marks other processes hold: at least that many open read
   *     transactions (WAL mode only)
   * @param sharedLock another process holds a SHARED lock on the database file: in rollback-journal mode a
   *     transaction is open, in WAL mode a connection is (database file probe only; absent without write access)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record State(String method, Boolean otherOpeners, Boolean writer, Boolean checkpointer, Integer readMarksHeld,
      Boolean sharedLock, String detail) {}

  private OpenerProbe() {}

  /** Probes the database's locks; {@code journal} is what its header says. */
  public static State probe(DatabaseFiles files, DatabaseHeader.Journal journal) {
    // A -shm left next to a rollback-journal database is stale: its connections never take the -shm locks.
    if (journal != DatabaseHeader.Journal.rollback && Files.exists(files.shm())) {
      try {
        return probeShm(files.shm());
      } catch (NoSuchFileException e) {
        // The last connection removed it between the check and the open: fall through to the database file.
      } catch (IOException e) {
        return new State(shmMethod(), null, null, null, null, null,
            "could not probe " + files.shm() + ": " + e.getMessage());
      }
    }
    try {
      return probeDatabase(files.database(), journal == DatabaseHeader.Journal.wal);
    } catch (IOException e) {
      return new State(dbMethod(), null, null, null, null, null,
          "could not probe " + files.database() + ": " + e.getMessage());
    }
  }

  private static State probeShm(Path shm) throws IOException {
    boolean writable = Files.isWritable(shm);
    try (FileChannel ch = writable
        ? FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(shm, StandardOpenOption.READ)) {
      Boolean writer = !grantable(ch, SHM_WRITE, 1, true);
      Boolean checkpointer = !grantable(ch, SHM_CHECKPOINT, 1, true);
      Boolean others = null;
      Integer readers = null;
      if (writable) {
        others = !grantable(ch, SHM_DMS, 1, false);
        int held = 0;
        for (int i = 0; i < SHM_READ_MARKS; i++) {
          if (!grantable(ch, SHM_FIRST_READ_MARK + i, 1, false)) held++;
        }
        readers = held;
      }
      List<String> seen = new ArrayList<>();
      if (others == null) seen.add("-shm is not writable here, so whether others are connected cannot be probed");
      else seen.add(others ? "another process has the database open" : "no other process has the database open");
      if (writer) seen.add("one is writing");
      if (checkpointer) seen.add("one is checkpointing");
      if (readers != null && readers > 0) seen.add(readers + " read mark" + (readers == 1 ? "" : "s") + " held (open read transactions)");
      return new State(shmMethod(), others, writer, checkpointer, readers, null, String.join("; ", seen));
    }
  }

  private static State probeDatabase(Path db, boolean wal) throws IOException {
    // An exclusive try needs a descriptor open for writing; without write access only writers can be seen.
    boolean writable = Files.isWritable(db);
    try (FileChannel ch = writable
        ? FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(db, StandardOpenOption.READ)) {
      boolean writer = !grantable(ch, DB_RESERVED, 1, true) || !grantable(ch, DB_PENDING, 1, true)
          || !grantable(ch, DB_SHARED_FIRST, DB_SHARED_SIZE, true);
      Boolean shared = writable ? !grantable(ch, DB_SHARED_FIRST, DB_SHARED_SIZE, false) : null;
      String lock = writer ? "another process holds the write lock" : "no other process holds the write lock";
      if (wal) {
        // Every connection to a WAL database maps the -shm; none exists, so nobody has it open that way. A
        // connection in locking_mode=EXCLUSIVE keeps its index in its own memory, and still holds the SHARED lock.
        Boolean open = shared == null ? writer : shared;
        return new State(dbMethod(), open, writer, null, null, shared, "no -shm file, so no process has the database"
            + " open through shared memory; " + (Boolean.TRUE.equals(shared) ? "another process holds a SHARED lock on"
                + " it (a connection in locking_mode=EXCLUSIVE); " : "") + lock);
      }
      String reading = shared == null
          ? "; whether another process is inside a transaction cannot be probed without write access to the file"
          : shared && !writer ? "; another process holds a SHARED lock: it is inside a transaction, reading"
          : shared ? "" : "; no other process is inside a transaction";
      return new State(dbMethod(), null, writer, null, null, shared,
          lock + reading + "; in rollback-journal mode idle connections hold no locks, so whether others have it open"
              + " cannot be seen");
    }
  }

  /** Tries a lock without waiting and releases it at once; true when the kernel granted it. */
  private static boolean grantable(FileChannel ch, long position, long size, boolean shared) throws IOException {
    try {
      FileLock lock = ch.tryLock(position, size, shared);
      if (lock == null) return false;
      lock.release();
      return true;
    } catch (NonWritableChannelException e) {
      throw new IOException("an exclusive lock needs write access", e);
    }
  }

  private static String shmMethod() {
    return "POSIX lock probe (non-blocking fcntl) on the -shm lock bytes: 128 connection, 120 write, 121 checkpoint, "
        + "123-127 read marks";
  }

  private static String dbMethod() {
    return "POSIX lock probe (non-blocking fcntl) on the database file's RESERVED and PENDING bytes and SHARED range";
  }
}
