package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.walguard.compose.ComposeAudit;
import io.walguard.core.InMemoryFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the paths given to {@code walguard audit -f}: files, or directories searched recursively (in sorted order,
 * hidden entries skipped) for files ending {@code .yaml}, {@code .yml} or {@code .json}. Compose files, by name, are
 * set aside for the Compose audit. A file named explicitly is read whatever its name ends with; {@code -} is
 * standard input, read as YAML.
 */
public final class ManifestLoader {

  private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

  /** The path that stands for standard input, as with kubectl: {@code -f -}. */
  public static final Path STDIN = Path.of("-");

  private final String defaultNamespace;
  private final Consumer<String> notes;
  private final InputStream stdin;
  private final ManifestParser parser = new ManifestParser();
  private final KubernetesSerialization serialization = ManifestObjects.serialization();

  /**
   * @param defaultNamespace the namespace of objects that name none
   * @param notes where remarks about skipped documents go (stderr in the CLI)
   */
  public ManifestLoader(String defaultNamespace, Consumer<String> notes) {
    this(defaultNamespace, notes, System.in);
  }

  /** @param stdin what {@code -f -} reads */
  public ManifestLoader(String defaultNamespace, Consumer<String> notes, InputStream stdin) {
    this.defaultNamespace = defaultNamespace;
    this.notes = notes;
    this.stdin = stdin;
  }

  public Manifests load(List<Path> paths) throws BadInputException {
    InMemoryFacts facts = new InMemoryFacts(defaultNamespace);
    Map<HasMetadata, ManifestObjects.Located> sources = new IdentityHashMap<>();
    Map<String, ManifestObjects.Located> seen = new HashMap<>();
    List<Path> composeFiles = new ArrayList<>();
    ManifestObjects objects = new ManifestObjects(serialization, defaultNamespace, notes);

    List<Path> files = files(paths);
    Kustomizations kustomizations = Kustomizations.beside(files, parser);
    for (Path file : files) {
      if (ComposeAudit.isComposeFile(file) || (!file.equals(STDIN) && Files.isDirectory(file))) {
        composeFiles.add(file);
        continue;
      }
      Optional<String> skipped = kustomizations.skip(file);
      if (skipped.isPresent()) {
        notes.accept(skipped.get());
        continue;
      }
      for (ManifestObjects.Located located : read(file, objects)) {
        HasMetadata object = located.object();
        String key = object.getApiVersion() + " " + object.getKind() + " " + facts.namespaceOf(object) + "/"
            + object.getMetadata().getName();
        ManifestObjects.Located earlier = seen.get(key);
        if (earlier != null && ObjectCopies.keep(earlier, located, object.getKind() + " "
            + Quoted.name(facts.namespaceOf(object) + "/" + object.getMetadata().getName()), notes) == earlier) {
          continue;
        }
        seen.put(key, located);
        facts.add(object);
        sources.put(object, located);
      }
    }
    return new Manifests(facts, sources, composeFiles);
  }

  /** The objects of one file (or of standard input). */
  private List<ManifestObjects.Located> read(Path file, ManifestObjects objects) throws BadInputException {
    try {
      List<ManifestDocument> documents = file.equals(STDIN)
          ? parser.parse(ManifestParser.STDIN, stdin)
          : parser.parse(file);
      List<ManifestObjects.Located> located = new ArrayList<>();
      for (ManifestDocument document : documents) {
        located.addAll(objects.objects(document));
      }
      return located;
    } catch (OutOfMemoryError e) {
      // Within the limits a file can still hold a million values; in a small heap that is too many. What was read
      // of this file is garbage now, so there is memory enough to say so.
      throw tooLarge(file.equals(STDIN) ? ManifestParser.STDIN : file);
    }
  }

  /** A file that did not fit in the heap: what to do about it. */
  public static BadInputException tooLarge(Path file) {
    return new BadInputException(file + ": too large to read in the memory walguard has (a heap of "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB): not parsed; split it, or give walguard more"
        + " memory (JAVA_TOOL_OPTIONS=-Xmx512m)");
  }

  private List<Path> files(List<Path> paths) throws BadInputException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (path.equals(STDIN)) {
        files.add(path);
      } else if (Files.isDirectory(path)) {
        List<Path> found = manifestsUnder(path);
        if (found.isEmpty()) {
          notes.accept(path + ": no .yaml, .yml or .json files in this directory");
        }
        files.addAll(found);
      } else if (Files.exists(path)) {
        files.add(path);
      } else {
        throw new BadInputException(path + ": no such file or directory");
      }
    }
    return files;
  }

  /**
   * The manifests below a directory. A directory holding a Compose file stands for itself, read as
   * {@code docker compose} reads it there (its Compose file and override file together), so neither file is audited
   * on its own.
   */
  private static List<Path> manifestsUnder(Path directory) throws BadInputException {
    try (Stream<Path> walk = Files.walk(directory)) {
      List<Path> found = walk
          .filter(p -> !hidden(directory.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(p -> isManifestName(p) || ComposeAudit.isComposeFile(p))
          .sorted()
          .toList();
      List<Path> files = new ArrayList<>();
      for (Path file : found) {
        Path parent = file.getParent();
        boolean composeProject = parent != null && ComposeAudit.findIn(parent).isPresent();
        if (composeProject && ComposeAudit.belongsToProject(file)) {
          if (!files.contains(parent)) {
            files.add(parent);
          }
        } else {
          files.add(file);
        }
      }
      return files;
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(directory + ": cannot be listed (" + e.getMessage() + ")");
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isManifestName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }
}
