package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.walguard.compose.ComposeAudit;
import io.walguard.compose.ComposeContent;
import io.walguard.compose.ComposeProject;
import io.walguard.core.InMemoryFacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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
 * hidden entries skipped) for files ending {@code .yaml}, {@code .yml} or {@code .json}. Compose files are set aside
 * for the Compose audit: by name under a directory, by name or content when named explicitly. A file named explicitly
 * is read whatever its name ends with; {@code -} is standard input, read as YAML.
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
    Loading loading = new Loading(Kustomizations.in(paths, parser));
    for (Path path : paths) {
      if (path.equals(STDIN)) {
        loadStdin(loading);
      } else if (Files.isDirectory(path)) {
        List<Found> found = manifestsUnder(path);
        if (found.isEmpty()) {
          notes.accept(path + ": no .yaml, .yml or .json files in this directory");
        }
        for (Found entry : found) {
          switch (entry.kind()) {
            case COMPOSE_PROJECT -> loading.projects.add(ComposeProject.of(entry.path()));
            case MANIFESTS -> {
              if (loading.skipped(entry.path())) {
                continue;
              }
              Read read = read(entry.path(), null);
              if (read.compose()) {
                loading.composeLike.add(entry.path());
              } else {
                loading.add(read);
              }
            }
          }
        }
      } else if (Files.exists(path)) {
        loadNamed(path, loading);
      } else {
        throw new BadInputException(path + ": no such file or directory");
      }
    }
    return loading.manifests();
  }

  /**
   * A file named with {@code -f}. A Compose file by name, or by content whatever its name ({@code stack.yml},
   * {@code docker-compose.prod.yml}), joins the Compose files named before it: like {@code docker compose -f a -f b},
   * they are one project, laid over each other in order. A Kubernetes manifest saved under a Compose name is read as
   * what it is.
   */
  private void loadNamed(Path file, Loading loading) throws BadInputException {
    if (loading.skipped(file)) {
      return;
    }
    if (ComposeAudit.isComposeFile(file) || ComposeAudit.isStackFile(file)) {
      if (ComposeContent.of(file, null) != ComposeContent.KUBERNETES) {
        loading.named.add(file);
        return;
      }
      notes.accept(heldKubernetes(file));
      loading.add(read(file, null));
      return;
    }
    Read read = read(file, null);
    if (read.compose()) {
      loading.named.add(file);
    } else {
      loading.add(read);
    }
  }

  /** Standard input, read once: Kubernetes manifests, or a Compose file ({@code -f -}, as docker compose reads it). */
  private void loadStdin(Loading loading) throws BadInputException {
    byte[] bytes;
    try {
      // Bounded, so that an endless pipe is refused like a huge file (the parser says so).
      bytes = stdin.readNBytes(ManifestParser.MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new BadInputException(ManifestParser.STDIN + ": cannot be read (" + e.getMessage() + ")");
    }
    Read read = read(ManifestParser.STDIN, bytes);
    if (read.compose()) {
      loading.named.add(ManifestParser.STDIN);
      loading.texts.put(ManifestParser.STDIN, text(bytes));
    } else {
      loading.add(read);
    }
  }

  /** What has been read so far. */
  private final class Loading {
    final InMemoryFacts facts = new InMemoryFacts(defaultNamespace);
    final Map<HasMetadata, ManifestObjects.Located> sources = new IdentityHashMap<>();
    final Map<String, ManifestObjects.Located> seen = new HashMap<>();
    final ManifestObjects objects = new ManifestObjects(serialization, defaultNamespace, notes);
    final Kustomizations kustomizations;
    final List<ComposeProject> projects = new ArrayList<>();
    /** Compose files named with -f (and standard input), one project. */
    final List<Path> named = new ArrayList<>();
    final Map<Path, String> texts = new HashMap<>();
    /** Files found under a directory that hold Compose content under a name Compose does not look for. */
    final List<Path> composeLike = new ArrayList<>();
    boolean manifestsRead;

    Loading(Kustomizations kustomizations) {
      this.kustomizations = kustomizations;
    }

    /** Whether a file is a kustomization or a patch one lists, which is skipped with a note. */
    boolean skipped(Path file) {
      Optional<String> note = kustomizations.skip(file);
      note.ifPresent(notes);
      return note.isPresent();
    }

    void add(Read read) throws BadInputException {
      manifestsRead = true;
      for (ManifestDocument document : read.documents()) {
        for (ManifestObjects.Located located : objects.objects(document)) {
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
    }

    Manifests manifests() {
      List<ComposeProject> all = new ArrayList<>(projects);
      if (!named.isEmpty()) {
        all.add(new ComposeProject(named, texts));
      }
      return new Manifests(facts, sources, all, composeLike, manifestsRead || all.isEmpty());
    }
  }

  /** The documents of a file, and whether they are a Compose file's rather than Kubernetes objects. */
  private record Read(List<ManifestDocument> documents, boolean compose) {}

  /** Reads a file, or standard input given as {@code bytes}. */
  private Read read(Path file, byte[] bytes) throws BadInputException {
    try {
      List<ManifestDocument> documents = bytes == null ? parser.parse(file)
          : parser.parse(file, new ByteArrayInputStream(bytes));
      boolean compose = ComposeContent.of(documents.stream().map(ManifestDocument::content).toList())
          == ComposeContent.COMPOSE;
      return new Read(compose ? List.of() : documents, compose);
    } catch (BadInputException refused) {
      // Compose files may use what manifests may not (!reset and !override, more anchors): read as Compose, they
      // may be fine, and the Compose audit judges them by its own rules.
      String text = bytes == null ? null : text(bytes);
      if ((bytes == null || text != null) && ComposeContent.of(file, text) == ComposeContent.COMPOSE) {
        return new Read(List.of(), true);
      }
      throw refused;
    } catch (OutOfMemoryError e) {
      // Within the limits a file can still hold a million values; in a small heap that is too many. What was read
      // of this file is garbage now, so there is memory enough to say so.
      throw tooLarge(file);
    }
  }

  /** Standard input as text, or null when it is not UTF-8 (the parser has said so already). */
  private static String text(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String heldKubernetes(Path file) {
    return file + ": holds Kubernetes objects (apiVersion and kind), not a Compose file: read as Kubernetes manifests";
  }

  /** A file that did not fit in the heap: what to do about it. */
  public static BadInputException tooLarge(Path file) {
    return new BadInputException(file + ": too large to read in the memory walguard has (a heap of "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB): not parsed; split it, or give walguard more"
        + " memory (JAVA_TOOL_OPTIONS=-Xmx512m)");
  }

  /** What a directory walk found: a directory that is a Compose project, or a file to read. */
  private record Found(Path path, Kind kind) {
    enum Kind { COMPOSE_PROJECT, MANIFESTS }
  }

  /**
   * What is below a directory. A directory holding a Compose file stands for itself, read as {@code docker compose}
   * reads it there (its Compose file and override file together), so neither file is audited on its own; a stack
   * file ({@code docker-stack.yml}, {@code stack.yml}) is a project of its own, as {@code docker stack deploy -c}
   * reads it. Other files are read as manifests; those that hold Compose content are set aside.
   */
  private List<Found> manifestsUnder(Path directory) throws BadInputException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk
          .filter(p -> !hidden(directory.relativize(p)))
          .filter(Files::isRegularFile)
          .filter(ManifestLoader::isManifestName)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(directory + ": cannot be listed (" + e.getMessage() + ")");
    }
    Map<Path, Boolean> projects = new HashMap<>();
    List<Found> found = new ArrayList<>();
    for (Path file : files) {
      Path parent = file.getParent();
      if (parent != null && ComposeAudit.belongsToProject(file)
          && projects.computeIfAbsent(parent, this::isComposeProject)) {
        Found project = new Found(parent, Found.Kind.COMPOSE_PROJECT);
        if (!found.contains(project)) {
          found.add(project);
        }
      } else if (ComposeAudit.isStackFile(file)) {
        boolean kubernetes = ComposeContent.of(file, null) == ComposeContent.KUBERNETES;
        if (kubernetes) {
          notes.accept(heldKubernetes(file));
        }
        found.add(new Found(file, kubernetes ? Found.Kind.MANIFESTS : Found.Kind.COMPOSE_PROJECT));
      } else {
        found.add(new Found(file, Found.Kind.MANIFESTS));
      }
    }
    return found;
  }

  /** Whether a directory has a Compose file that is one (and not Kubernetes objects saved under its name). */
  private boolean isComposeProject(Path directory) {
    Optional<Path> composeFile = ComposeAudit.findIn(directory);
    if (composeFile.isEmpty()) {
      return false;
    }
    if (ComposeContent.of(composeFile.get(), null) == ComposeContent.KUBERNETES) {
      notes.accept(heldKubernetes(composeFile.get()));
      return false;
    }
    return true;
  }

  /** Whether a path below a directory is hidden (it or a directory on the way starts with a dot). */
  static boolean hidden(Path relative) {
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
