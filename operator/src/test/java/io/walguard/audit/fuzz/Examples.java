package io.walguard.audit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The valid manifests under examples/, the seeds that most generated inputs start from. */
final class Examples {

  /** One example: a Kubernetes story (all its manifests as one multi-document file) or a Compose file. */
  record Example(String name, String text, boolean compose) {}

  private static final Path ROOT = root();

  private Examples() {}

  static List<Example> kubernetes() {
    List<Example> examples = new ArrayList<>();
    for (Path dir : list(ROOT)) {
      if (!Files.isDirectory(dir) || dir.getFileName().toString().equals("compose")) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (Path file : list(dir)) {
        if (file.toString().endsWith(".yaml")) {
          text.append("---\n").append(read(file));
        }
      }
      examples.add(new Example(dir.getFileName().toString(), text.toString(), false));
    }
    return examples;
  }

  static List<Example> compose() {
    List<Example> examples = new ArrayList<>();
    for (Path dir : list(ROOT.resolve("compose"))) {
      Path file = dir.resolve("compose.yaml");
      if (Files.isRegularFile(file)) {
        examples.add(new Example(dir.getFileName().toString(), read(file), true));
      }
    }
    return examples;
  }

  static List<Example> all() {
    List<Example> all = new ArrayList<>(kubernetes());
    all.addAll(compose());
    return all;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("examples");
  }
}
