package io.walguard.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code mount --bind} of one file over another: puts a file from a FUSE view at a path SQLite derives by itself. */
final class FileBindMount {

  private FileBindMount() {}

  /** Why a file cannot be bind-mounted here (tried on two scratch files), or empty when it can. */
  static Optional<String> unavailable(Path scratch) throws IOException, InterruptedException {
    Path source = Files.writeString(scratch.resolve("bind-source"), "source");
    Path target = Files.writeString(scratch.resolve("bind-target"), "target");
    try {
      mount(source, target);
    } catch (IOException e) {
      return Optional.of("mount --bind is not permitted here (needs root): " + e.getMessage());
    }
    unmount(target);
    Files.delete(target);
    Files.delete(source);
    return Optional.empty();
  }

  static void mount(Path source, Path target) throws IOException, InterruptedException {
    String output = run(List.of("mount", "--bind", source.toString(), target.toString()));
    if (!Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).contains(" " + target + " ")) {
      throw new IOException("could not bind " + source + " to " + target + ": " + output);
    }
  }

  static void unmount(Path target) throws IOException, InterruptedException {
    run(List.of("umount", "-l", target.toString()));
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return output;
  }
}
