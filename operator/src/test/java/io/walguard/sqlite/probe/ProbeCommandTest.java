package io.walguard.sqlite.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.walguard.sqlite.ExitStatus;
import io.walguard.sqlite.support.Toolbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeCommandTest {

  @TempDir Path dir;

  private Toolbox.Run probe(Path path) {
    return Toolbox.inProcess("probe", path.toString(), "-o", "json", "--termination-log",
        dir.resolve("termination-log").toString());
  }

  @Test
  void localDirectoryIsLocalAndLocksAndSharedMmapWork() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));

    Toolbox.Run run = probe(data);

    assertThat(run.exit()).as(run.stderr()).isEqualTo(ExitStatus.OK);
    JsonNode json = run.json();
    assertThat(json.get("kind").asText()).isEqualTo("local");
    assertThat(json.get("evidence").asText()).contains("filesystem type " + json.get("fstype").asText());
    assertThat(json.get("realPath").asText()).isEqualTo(data.toRealPath().toString());
    assertThat(json.at("/statfs/agrees").asBoolean()).as("statfs: %s", json.get("statfs")).isTrue();
    assertThat(json.get("evidence").asText()).contains("statfs f_type " + json.at("/statfs/type").asText()
        + " agrees");
    assertThat(json.at("/posixLocks/status").asText()).isEqualTo("works");
    assertThat(json.at("/sharedMmap/status").asText()).isEqualTo("works");
    assertThat(json.at("/sharedMmap/detail").asText()).contains("another process");
    try (Stream<Path> left = Files.list(data)) {
      assertThat(left).as("the scratch file is removed").isEmpty();
    }
  }

  @Test
  void aFileIsProbedInItsDirectoryAndSymlinksAreFollowed() throws Exception {
    Path db = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("app.db"), "");
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real"));

    JsonNode json = probe(link.resolve("app.db")).json();

    assertThat(json.get("realPath").asText()).isEqualTo(db.toRealPath().toString());
    assertThat(json.at("/posixLocks/status").asText()).isEqualTo("works");
  }

  @Test
  void aMissingPathIsBadInput() {
    Toolbox.Run run = probe(dir.resolve("nowhere"));
    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.stderr()).contains("does not exist");
  }

  @Test
  void bindfsMountIsFuseWithTheFilesystemTypeAsEvidence() throws Exception {
    assumeTrue(Files.exists(Path.of("/dev/fuse")), "skipped: /dev/fuse does not exist here, so nothing can be mounted with FUSE");
    assumeTrue(onPath("bindfs"), "skipped: bindfs is not installed (apt-get install bindfs)");
    assumeTrue(onPath("fusermount") || onPath("fusermount3"), "skipped: fusermount is not installed");
    Path source = Files.createDirectory(dir.resolve("source"));
    Path mount = Files.createDirectory(dir.resolve("mount"));
    Process bindfs = new ProcessBuilder("bindfs", source.toString(), mount.toString()).redirectErrorStream(true).start();
    String said = new String(bindfs.getInputStream().readAllBytes());
    assumeTrue(bindfs.waitFor(30, TimeUnit.SECONDS) && bindfs.exitValue() == 0,
        "skipped: bindfs could not mount here (no permission for FUSE?): " + said);
    try {
      // In a child process, as a probe Job runs it; its shared mappings end with it, so the mount can be released.
      Toolbox.Run run = Toolbox.inChild(Duration.ofSeconds(60), "probe", mount.toString(), "-o", "json",
          "--termination-log", dir.resolve("termination-log").toString());

      JsonNode json = run.json();
      assertThat(json.get("kind").asText()).isEqualTo("fuse");
      assertThat(json.get("fstype").asText()).startsWith("fuse");
      assertThat(json.get("evidence").asText())
          .contains("filesystem type " + json.get("fstype").asText())
          .contains("at " + mount.toRealPath());
      assertThat(json.get("source").asText()).isEqualTo(source.toString());
      assertThat(json.at("/statfs/type").asText()).isEqualTo("0x65735546");
      assertThat(json.at("/statfs/agrees").asBoolean()).isTrue();
      assertThat(json.at("/posixLocks/status").asText()).isIn("works", "broken");
    } finally {
      unmount(mount);
    }
  }

  /** fusermount -u, retried while the kernel still has the mount busy, then detached lazily so the test cleans up. */
  private static void unmount(Path mount) throws Exception {
    String fusermount = onPath("fusermount") ? "fusermount" : "fusermount3";
    for (int i = 0; i < 20; i++) {
      Process p = new ProcessBuilder(fusermount, "-u", mount.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return;
      Thread.sleep(100);
    }
    new ProcessBuilder(fusermount, "-u", "-z", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
  }

}
