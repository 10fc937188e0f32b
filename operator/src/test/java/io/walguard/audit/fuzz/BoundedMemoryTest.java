package io.walguard.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worst inputs, audited in a JVM of 64 MiB of heap: an alias bomb is refused rather than expanded, input past the
 * size limit (a 1 GiB file, a file one byte over) is refused after reading no more than the limit, a file of a
 * million values gets a message instead of a crash, and none of them ends in an internal error.
 */
class BoundedMemoryTest {

  private static final String HEAP = "-Xmx64m";

  @TempDir Path dir;

  @Test
  void theWorstInputsAreRefusedInA64MiBHeap() throws Exception {
    List<Path> files = new ArrayList<>();
    files.add(write("laughs.yaml", BombFuzz.PVC + "---\n" + laughs("", 9, 10)));
    files.add(write("doubling.yaml", BombFuzz.PVC + "---\n" + laughs("", 25, 2)));
    files.add(write("laughs/compose.yaml", BombFuzz.COMPOSE + laughs("x-", 9, 10)));
    files.add(write("merge.yaml", BombFuzz.PVC + "---\nx: &x {<<: *x}\n"));
    files.add(write("over-cap.yaml", "#".repeat(16 * 1024 * 1024 + 1)));
    Path sparse = dir.resolve("sparse.yaml");
    try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
      file.setLength(1L << 30);
    }
    files.add(sparse);
    files.add(write("values.yaml", "[" + "1,".repeat(1_200_000) + "1]\n"));

    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ChildAudits.class.getName()));
    files.forEach(file -> command.add(file.toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    List<String> lines = output.lines().filter(line -> line.matches("\\d\t.*")).toList();
    assertThat(lines).as(output).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      assertThat(lines.get(i)).as(output)
          .startsWith("2\twalguard audit: " + files.get(i))
          .doesNotContain("internal error", "OutOfMemoryError");
    }
    assertThat(lines.get(0)).contains("aliases");
    assertThat(lines.get(4)).contains("16 MiB");
    assertThat(lines.get(5)).contains("16 MiB");
    assertThat(output).containsPattern("peak heap \\d+");
  }

  /** A billion laughs: {@code levels} anchors, each a list of {@code width} aliases of the one before. */
  private static String laughs(String keyPrefix, int levels, int width) {
    StringBuilder text = new StringBuilder(keyPrefix).append("l0: &l0 [lol]\n");
    for (int level = 1; level <= levels; level++) {
      text.append(keyPrefix).append('l').append(level).append(": &l").append(level).append(" [");
      for (int i = 0; i < width; i++) {
        text.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
      }
      text.append("]\n");
    }
    return text.toString();
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
