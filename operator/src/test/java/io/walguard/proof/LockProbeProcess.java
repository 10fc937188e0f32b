package io.walguard.proof;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate JVM that asks for a POSIX write lock on one byte of a file, the way SQLite locks the bytes of the
 * {@code -shm}, and prints "granted" or "refused". POSIX locks never conflict within one process, so whether two paths
 * share locks can only be seen from a second process.
 */
public final class LockProbeProcess {

  private LockProbeProcess() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock(Long.parseLong(args[1]), 1, false)) {
      System.out.println(lock == null ? "refused" : "granted");
    }
  }
}
