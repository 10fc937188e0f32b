package io.walguard.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A FUSE view of a directory made with bindfs, with POSIX locks forwarded to the real files (a second path to the same
 * bytes, the way a network filesystem is a second path to the server's bytes).
 */
final class BindfsMount implements AutoCloseable {

  final Path source;
  final Path mountPoint;

  private BindfsMount(Path source, Path mountPoint) {
    this.source = source;
    this.mountPoint = mountPoint;
  }

  /** Why a FUSE view cannot be made here (a view of a scratch directory is tried once), or empty when it can. */
  static Optional<String> unavailable() {
    return Probe.RESULT;
  }

  private static final class Probe {
    static final Optional<String> RESULT = probe();
  }

  private static Optional<String> probe() {
    if (!onPath("bindfs")) {
      return Optional.of("bindfs is not installed (Debian package bindfs)");
    }
    if (!onPath("fusermount") && !onPath("fusermount3")) {
      return Optional.of("fusermount is not installed (Debian package fuse)");
    }
    Path fuse = Path.of("/dev/fuse");
    if (!Files.isReadable(fuse) || !Files.isWritable(fuse)) {
      return Optional.of("/dev/fuse is missing or not accessible to this user");
    }
    try {
      Path scratch = Files.createTempDirectory("walguard-bindfs");
      try (BindfsMount ignored = mount(Files.createDirectories(scratch.resolve("real")), scratch.resolve("view"), false)) {
        return Optional.empty();
      } finally {
        Files.delete(scratch.resolve("view"));
        Files.delete(scratch.resolve("real"));
        Files.delete(scratch);
      }
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while trying bindfs");
    }
  }

  /** Mounts {@code source} at {@code mountPoint} with locks forwarded to the real files. */
  static BindfsMount mount(Path source, Path mountPoint, boolean directIo) throws IOException, InterruptedException {
    return mount(source, mountPoint, directIo, true);
  }

  /**
   * Mounts {@code source} at {@code mountPoint}. Without lock forwarding the kernel keeps the view's POSIX locks to
   * itself, apart from the real file's. Forwarding needs bindfs's multithreaded mode, or a process waiting for a lock
   * would stall every other request.
   */
  static BindfsMount mount(Path source, Path mountPoint, boolean directIo, boolean forwardLocks)
      throws IOException, InterruptedException {
    Files.createDirectories(mountPoint);
    List<String> command = new ArrayList<>(List.of("bindfs"));
    if (forwardLocks) {
      command.addAll(List.of("--multithreaded", "--enable-lock-forwarding"));
    }
    // Names and attributes are looked up afresh every time, as an NFS client does for a file another client may have
    // created or deleted (SQLite's journal comes and goes with every transaction).
    String options = "entry_timeout=0,negative_timeout=0,attr_timeout=0";
    command.addAll(List.of("-o", directIo ? options + ",direct_io" : options));
    command.addAll(List.of(source.toString(), mountPoint.toString()));
    String output = run(command);
    BindfsMount mount = new BindfsMount(source, mountPoint);
    if (!mount.mounted()) {
      throw new IOException("bindfs did not mount " + mountPoint + ": " + output);
    }
    return mount;
  }

  private boolean mounted() throws IOException {
    String target = mountPoint.toRealPath().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ");
      if (fields.length > 4 && fields[4].equals(target)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    String tool = onPath("fusermount") ? "fusermount" : "fusermount3";
    for (int attempt = 0; attempt < 20 && mounted(); attempt++) {
      run(List.of(tool, "-u", mountPoint.toString()));
      if (mounted()) {
        // A process that just closed a file may still hold the mount busy for a moment.
        Thread.sleep(100);
      }
    }
    if (mounted()) {
      // A mapping not yet collected keeps the mount busy: detach it now, the kernel finishes when it is released.
      run(List.of(tool, "-u", "-z", mountPoint.toString()));
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return output;
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(":")) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
        return true;
      }
    }
    return false;
  }
}
