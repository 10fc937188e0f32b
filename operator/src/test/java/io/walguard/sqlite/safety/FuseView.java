package io.walguard.sqlite.safety;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A bindfs FUSE view of a directory, mounted for a test and released after it; tests skip when FUSE is absent. */
final class FuseView implements AutoCloseable {

  private final Path mountPoint;

  private FuseView(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static void assumeAvailable() {
    assumeTrue(Files.exists(Path.of("/dev/fuse")), "skipped: /dev/fuse does not exist here");
    assumeTrue(onPath("bindfs"), "skipped: bindfs is not installed (apt-get install bindfs)");
    assumeTrue(onPath("fusermount") || onPath("fusermount3"), "skipped: fusermount is not installed");
  }

  static FuseView mount(Path source, Path mountPoint, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bindfs"));
    cmd.addAll(List.of(options));
    cmd.add(source.toString());
    cmd.add(mountPoint.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "skipped: bindfs could not mount: " + said);
    return new FuseView(mountPoint);
  }

  @Override
  public void close() throws Exception {
    String fusermount = onPath("fusermount") ? "fusermount" : "fusermount3";
    for (int i = 0; i < 20; i++) {
      Process p = new ProcessBuilder(fusermount, "-u", mountPoint.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return;
      Thread.sleep(100);
    }
    new ProcessBuilder(fusermount, "-u", "-z", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }

  static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
  }
}
