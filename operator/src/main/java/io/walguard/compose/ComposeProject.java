package io.walguard.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one Compose project is read from, as {@code docker compose} is given it: a directory (its Compose file with
 * its override file), or one or more files laid over each other in order ({@code docker compose -f a -f b}), some of
 * which may have been read already, such as standard input ({@code -f -}).
 *
 * @param files a directory alone, or the files in the order they are laid over each other
 * @param texts the text of those files that are not read from disk, by the path that names them
 */
public record ComposeProject(List<Path> files, Map<Path, String> texts) {

  public ComposeProject {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a Compose project has at least one file");
    }
    files = List.copyOf(files);
    texts = Map.copyOf(texts);
  }

  /** A Compose file read alone, or a directory read as {@code docker compose} run there reads it. */
  public static ComposeProject of(Path fileOrDirectory) {
    return new ComposeProject(List.of(fileOrDirectory), Map.of());
  }
}
