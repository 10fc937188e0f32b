package io.walguard.sqlite.probe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tries, on a scratch file in the directory, the two things SQLite's WAL needs from a filesystem: POSIX byte-range
 * locks that another process sees (SQLite's lock bytes), and shared memory mappings that stay coherent (its
 * {@code -shm} wal-index), between two mappings in this process and with a second process.
 *
 * <p>Both processes run on one kernel, so this shows whether the filesystem supports the calls at all (some FUSE
 * modes cannot map files shared; some drivers reject locks). It cannot show what a process on another node would
 * see: locks made node-local by {@code nolock} still conflict here, and no network filesystem keeps mappings
 * coherent across nodes. That is what the filesystem type and the mount options are for.
 */
public final class LiveChecks {

  static final int FILE_SIZE = 4096;
  private static final long PEER_TIMEOUT_SECONDS = 20;

  /** One check: {@code works}, {@code broken} or {@code skipped}, and what was seen. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Check(String status, String detail) {
    static Check works(String detail) {
      return new Check("works", detail);
    }

    static Check broken(String detail) {
      return new Check("broken", detail);
    }

    static Check skipped(String detail) {
      return new Check("skipped", detail);
    }

    @JsonIgnore
    public boolean isBroken() {
      return "broken".equals(status);
    }
  }

  public record Result(Check posixLocks, Check sharedMmap) {}

  private final List<String> peerCommand;

  /** @param peerCommand how to start {@link ProbePeer} (the scratch file's path is appended) */
  public LiveChecks(List<String> peerCommand) {
    this.peerCommand = List.copyOf(peerCommand);
  }

  /** The same JVM and class path as this process, with the small-JVM flags. */
  public static LiveChecks withThisJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xmx16m", "-cp", System.getProperty("java.class.path"), ProbePeer.class.getName()));
    return new LiveChecks(cmd);
  }

  public Result run(Path directory) {
    if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
      String why = directory + " is not a writable directory, so no scratch file can be made there";
      return new Result(Check.skipped(why), Check.skipped(why));
    }
    Path scratch;
    try {
      scratch = Files.createTempFile(directory, ".walguard-probe-", ".tmp");
    } catch (IOException e) {
      String why = "cannot create a scratch file in " + directory + ": " + IoErrors.reason(e);
      return new Result(Check.skipped(why), Check.skipped(why));
    }
    try (FileChannel a = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel b = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      a.write(ByteBuffer.allocate(FILE_SIZE), 0);
      a.force(true);
      Peer peer;
      try {
        peer = Peer.start(peerCommand, scratch);
      } catch (IOException e) {
        String why = "could not start a second process to check against: " + e.getMessage();
        return new Result(Check.skipped(why), mmapInProcess(a, b));
      }
      try (peer) {
        return new Result(locks(a, peer), mmap(a, b, peer));
      }
    } catch (IOException e) {
      Check failed = Check.broken("I/O error on scratch file " + scratch + ": " + IoErrors.reason(e));
      return new Result(failed, failed);
    } finally {
      try {
        Files.deleteIfExists(scratch);
      } catch (IOException ignored) {
        // A leftover scratch file is harmless: it is hidden, small, and has a walguard name.
      }
    }
  }

  private static Check locks(FileChannel a, Peer peer) {
    List<String> seen = new ArrayList<>();
    try {
      FileLock exclusive = a.tryLock(0, 1, false);
      if (exclusive == null) return Check.broken("this process could not even lock byte 0 of its own scratch file");
      boolean conflictSeen = peer.ask("lock 0 1 shared").equals("refused");
      boolean rangesIndependent = peer.ask("lock 1 1 exclusive").equals("granted");
      exclusive.release();
      boolean freedSeen = peer.ask("lock 0 1 exclusive").equals("granted");
      FileLock shared = a.tryLock(2, 1, true);
      boolean sharedCompatible = shared != null && peer.ask("lock 2 1 shared").equals("granted");
      boolean sharedBlocksExclusive = shared != null && peer.ask("lock 2 1 exclusive").equals("refused");
      if (shared != null) shared.release();
      if (!conflictSeen) seen.add("the other process was granted a byte this process held exclusively");
      if (!rangesIndependent) seen.add("a lock on byte 0 also blocked byte 1 (whole-file locks, not byte ranges)");
      if (!freedSeen) seen.add("a released lock stayed held for the other process");
      if (!sharedCompatible) seen.add("two shared locks on one byte conflicted");
      if (!sharedBlocksExclusive) seen.add("a shared lock did not keep the other process from an exclusive one");
      return seen.isEmpty()
          ? Check.works("another process saw exclusive and shared byte-range locks, per byte, and their release")
          : Check.broken(String.join("; ", seen));
    } catch (IOException e) {
      return Check.broken("byte-range locking failed: " + IoErrors.reason(e));
    }
  }

  private static Check mmap(FileChannel a, FileChannel b, Peer peer) {
    Check inProcess = mmapInProcess(a, b);
    if (inProcess.isBroken()) return inProcess;
    try {
      MappedByteBuffer mapA = a.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
      Random random = new Random();
      long mine = random.nextLong();
      mapA.putLong(16, mine);
      String theirs = peer.ask("read 16");
      if (!theirs.equals(Long.toString(mine))) {
        return Check.broken("another process mapping the file read " + theirs + " where this one wrote " + mine);
      }
      long back = random.nextLong();
      String wrote = peer.ask("write 24 " + back);
      if (!wrote.equals("done")) return Check.broken("another process could not map the file shared: " + wrote);
      if (mapA.getLong(24) != back) {
        return Check.broken("this process's mapping did not see what another process wrote through its own");
      }
      return Check.works("writes through a shared mapping were seen by a second mapping and by another process, "
          + "both ways");
    } catch (IOException e) {
      return Check.broken("shared mapping failed: " + IoErrors.reason(e));
    }
  }

  private static Check mmapInProcess(FileChannel a, FileChannel b) {
    try {
      MappedByteBuffer mapA = a.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
      MappedByteBuffer mapB = b.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
      long value = new Random().nextLong();
      mapA.putLong(0, value);
      if (mapB.getLong(0) != value) {
        return Check.broken("two shared mappings of one file in one process disagree");
      }
      return Check.works("two shared mappings in this process agree (no second process to check against)");
    } catch (IOException e) {
      return Check.broken("the file cannot be mapped shared (" + IoErrors.reason(e) + "): SQLite cannot keep its "
          + "-shm wal-index here and WAL mode fails with SQLITE_IOERR_SHMMAP");
    }
  }

  /** A running {@link ProbePeer}, asked one line at a time with a timeout so a hung filesystem cannot hang us. */
  private static final class Peer implements AutoCloseable {
    private final Process process;
    private final PrintWriter to;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private Peer(Process process) {
      this.process = process;
      this.to = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      Thread reader = new Thread(() -> {
        try (BufferedReader from = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = from.readLine()) != null; ) replies.add(line);
        } catch (IOException ignored) {
          // The process ended; ask() reports the missing answer.
        }
        replies.add("error the second process exited");
      }, "walguard-probe-peer");
      reader.setDaemon(true);
      reader.start();
    }

    static Peer start(List<String> command, Path scratch) throws IOException {
      List<String> cmd = new ArrayList<>(command);
      cmd.add(scratch.toString());
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Peer peer = new Peer(p);
      String hello = peer.next();
      if (!hello.equals("ready")) {
        peer.close();
        throw new IOException("it did not start: " + hello);
      }
      return peer;
    }

    String ask(String command) throws IOException {
      to.println(command);
      String reply = next();
      if (reply.startsWith("error ")) throw new IOException("the second process: " + reply.substring(6));
      return reply;
    }

    private String next() throws IOException {
      try {
        String reply = replies.poll(PEER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (reply == null) throw new IOException("the second process did not answer within " + PEER_TIMEOUT_SECONDS + " s");
        return reply;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public void close() {
      to.println("quit");
      to.close();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
