package io.walguard.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first 100 bytes of a SQLite database file, read with plain file I/O (no SQLite, no locks), so the journal mode
 * can be verified from the file itself rather than from what a connection claims.
 *
 * @param writeVersion byte 18: 1 for a rollback journal, 2 for WAL
 * @param readVersion byte 19: 1 for a rollback journal, 2 for WAL
 * @param pageSize bytes 16-17 (the stored value 1 means 65536)
 * @param pageCount bytes 28-31, the in-header database size in pages (0 when the file predates 3.7.0)
 * @param changeCounter bytes 24-27, bumped by every transaction that changes the file in rollback mode
 */
public record DatabaseHeader(int writeVersion, int readVersion, int pageSize, long pageCount, long changeCounter) {

  public static final int SIZE = 100;
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  /** What the header says about the journal. */
  public enum Journal {
    rollback,
    wal,
    /** The file is empty (a database with no pages yet): no header to read. */
    empty,
    /** Bytes 18-19 hold something other than 1/1 or 2/2. */
    unknown
  }

  /**
   * Reads the header of an existing file. An empty file is a valid database with no pages (SQLite writes the header
   * with the first transaction): it gives null.
   */
  public static DatabaseHeader read(Path file) throws ToolboxException {
    byte[] bytes = new byte[SIZE];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(bytes, 0, SIZE);
    } catch (IOException e) {
      throw new ToolboxException("cannot read the header of " + file + ": " + e.getMessage(), e);
    }
    if (n == 0) return null;
    return parse(bytes, n, file);
  }

  static DatabaseHeader parse(byte[] bytes, int length, Path file) throws ToolboxException {
    if (length < SIZE || !startsWithMagic(bytes)) {
      throw new ToolboxException(file + " is not a SQLite database (its first bytes are not \"SQLite format 3\"); "
          + "give the path of the database file, not of its -wal, -shm or -journal");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int rawPageSize = Short.toUnsignedInt(b.getShort(16));
    int pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
    return new DatabaseHeader(
        Byte.toUnsignedInt(bytes[18]),
        Byte.toUnsignedInt(bytes[19]),
        pageSize,
        Integer.toUnsignedLong(b.getInt(28)),
        Integer.toUnsignedLong(b.getInt(24)));
  }

  private static boolean startsWithMagic(byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) return false;
    }
    return true;
  }

  public Journal journal() {
    if (writeVersion == 2 && readVersion == 2) return Journal.wal;
    if (writeVersion == 1 && readVersion == 1) return Journal.rollback;
    return Journal.unknown;
  }

  /** The journal of a file that may be empty (a null header). */
  public static Journal journalOf(DatabaseHeader header) {
    return header == null ? Journal.empty : header.journal();
  }

  /** Bytes 18 and 19 as written in the docs, e.g. {@code 2/2}. */
  public String versionBytes() {
    return writeVersion + "/" + readVersion;
  }
}
