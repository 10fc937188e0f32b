package io.walguard.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kustomize files among those an audit reads. A kustomization and the patches it lists are instructions for
 * kustomize, not objects: a strategic-merge patch looks like a Deployment but holds only the fields it changes, and
 * read as an object it would stand in for the Deployment it patches. walguard reads files as they are, so both are
 * skipped with a note that says how to audit what kustomize renders.
 */
final class Kustomizations {

  /** The names kustomize looks for in a directory. */
  static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** The fields of a kustomization that name patch files: a path, or an item with a {@code path}. */
  private static final List<String> PATCH_FIELDS = List.of("patches", "patchesStrategicMerge", "patchesJson6902");

  /** Each patch file (absolute, normalized) and the note that skips it. */
  private final Map<Path, String> patches;

  private Kustomizations(Map<Path, String> patches) {
    this.patches = patches;
  }

  /**
   * The kustomizations among the paths an audit reads (in directories walked, and beside files named), and the
   * patches they list, wherever those are. A kustomization that cannot be parsed lists nothing here; if it is read as
   * a manifest, that read reports it.
   */
  static Kustomizations in(List<Path> paths, ManifestParser parser) {
    Map<Path, Path> kustomizations = new LinkedHashMap<>();
    for (Path path : paths) {
      if (path.equals(ManifestLoader.STDIN)) {
        continue;
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(p -> !ManifestLoader.hidden(path.relativize(p)) && p.getFileName() != null
                  && FILE_NAMES.contains(p.getFileName().toString()) && Files.isRegularFile(p))
              .sorted()
              .forEach(p -> kustomizations.putIfAbsent(p.toAbsolutePath().normalize(), p));
        } catch (IOException | UncheckedIOException e) {
          // The walk that reads the manifests reports a directory it cannot list.
        }
      } else {
        Path parent = path.getParent();
        for (String name : FILE_NAMES) {
          Path beside = parent == null ? Path.of(name) : parent.resolve(name);
          if (Files.isRegularFile(beside)) {
            kustomizations.putIfAbsent(beside.toAbsolutePath().normalize(), beside);
          }
        }
      }
    }
    Map<Path, String> patches = new LinkedHashMap<>();
    kustomizations.values().forEach(k -> listedPatches(k, parser, patches));
    return new Kustomizations(patches);
  }

  /** The note that skips this file, when it is a kustomization or a patch one lists; empty for any other file. */
  Optional<String> skip(Path file) {
    if (file.equals(ManifestLoader.STDIN) || file.getFileName() == null) {
      return Optional.empty();
    }
    if (FILE_NAMES.contains(file.getFileName().toString())) {
      return Optional.of(file + ": a kustomization, skipped: walguard reads the files beside it as they are; to"
          + " audit what it renders, run `kubectl kustomize " + directoryOf(file) + " > rendered.yaml` and audit"
          + " that");
    }
    return Optional.ofNullable(patches.get(file.toAbsolutePath().normalize())).map(note -> file + ": " + note);
  }

  private static void listedPatches(Path kustomization, ManifestParser parser, Map<Path, String> patches) {
    String shown = kustomization.toString();
    List<ManifestDocument> documents;
    try {
      documents = parser.parse(kustomization);
    } catch (BadInputException e) {
      return;
    }
    if (documents.isEmpty() || !(documents.get(0).content() instanceof Map<?, ?> fields)) {
      return;
    }
    Path directory = kustomization.toAbsolutePath().getParent();
    for (String field : PATCH_FIELDS) {
      if (!(fields.get(field) instanceof List<?> items)) {
        continue;
      }
      for (Object item : items) {
        Object path = item instanceof Map<?, ?> entry ? entry.get("path") : item;
        // A string with a line break is an inline patch, not a path.
        if (!(path instanceof String relative) || relative.isBlank() || relative.contains("\n")) {
          continue;
        }
        Path patch;
        try {
          patch = directory.resolve(relative.strip()).normalize();
        } catch (InvalidPathException e) {
          continue;
        }
        if (Files.isRegularFile(patch)) {
          patches.putIfAbsent(patch, "a patch that " + shown + " lists under " + field + ", not an object:"
              + " skipped; walguard does not apply kustomize patches, so to audit what the overlay deploys, run"
              + " `kubectl kustomize " + directoryOf(Path.of(shown)) + " > rendered.yaml` and audit that");
        }
      }
    }
  }

  private static String directoryOf(Path file) {
    return file.getParent() == null ? "." : file.getParent().toString();
  }
}
