package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads a Compose project the way {@code docker compose} does before it runs anything: the files (or, for a
 * directory, its Compose file and override file), every YAML document in them merged in order, variables
 * interpolated from the environment and the {@code .env} file, {@code include:} applied, and {@code extends:}
 * resolved, within limits on how many files one project may pull in.
 */
final class ComposeLoader {

  /** A project may not load more files than this through include and extends. */
  static final int MAX_FILES = 64;

  private final Map<String, String> environment;
  private final Origins origins = new Origins();
  private final ComposeMerge merge = new ComposeMerge(origins);
  private final Map<Path, Map<?, ?>> extendedFiles = new HashMap<>();
  private final Set<Path> filesLoaded = new LinkedHashSet<>();
  private int loads;
  private Map<Path, String> texts = Map.of();

  /** {@code environment} plays the shell's part: it wins over {@code .env}, as in Compose. */
  ComposeLoader(Map<String, String> environment) {
    this.environment = environment;
  }

  ComposeModel load(Path fileOrDirectory) throws BadInputException {
    return load(ComposeProject.of(fileOrDirectory));
  }

  ComposeModel load(ComposeProject project) throws BadInputException {
    List<Path> files = project.files().size() == 1 ? filesOf(project.files().get(0)) : project.files();
    texts = project.texts();
    Path main = files.get(0);
    Path projectDir = main.toAbsolutePath().normalize().getParent();
    // Compose takes the relative paths of every file laid over the first relative to the first one's directory.
    files.forEach(file -> origins.baseDir(file, projectDir));
    Interpolation interpolation = new Interpolation(variables(projectDir, environment));
    Map<Object, Object> root = loadFiles(files, interpolation);
    applyIncludes(root, main, interpolation.variables(),
        new ArrayDeque<>(List.of(main.toAbsolutePath().normalize())));
    resolveExtends(root, main, interpolation);
    Field rootField = Field.root(root, main, origins);
    return ComposeModel.read(projectName(rootField, projectDir), rootField, files, filesLoaded);
  }

  /** The file itself, or a directory's Compose file and override file, as Compose picks them. */
  private static List<Path> filesOf(Path path) throws BadInputException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    Path main = ComposeAudit.findIn(path).orElseThrow(() -> new BadInputException(path
        + ": no Compose file in this directory (looked for " + String.join(", ", ComposeAudit.FILE_NAMES)
        + "); name the file with -f"));
    List<Path> files = new ArrayList<>(List.of(main));
    ComposeAudit.OVERRIDE_FILE_NAMES.stream().map(path::resolve).filter(Files::isRegularFile).findFirst()
        .ifPresent(files::add);
    return files;
  }

  private static Map<String, String> variables(Path projectDir, Map<String, String> over) throws BadInputException {
    Map<String, String> variables = new LinkedHashMap<>(DotEnv.read(projectDir));
    variables.putAll(over);
    return variables;
  }

  /** Every document of every file, interpolated, laid over each other in order. */
  @SuppressWarnings("unchecked")
  private Map<Object, Object> loadFiles(List<Path> files, Interpolation interpolation) throws BadInputException {
    Object merged = null;
    for (Path file : files) {
      countFile(file);
      List<ComposeYaml.Document> documents = ComposeYaml.load(file, texts.get(file), origins);
      if (documents.stream().allMatch(d -> d.value() == null)) {
        throw new BadInputException(file + ": empty; a Compose file is a YAML mapping with services: (and"
            + " volumes:)");
      }
      for (ComposeYaml.Document loaded : documents) {
        Object document = loaded.value();
        if (document == null) {
          continue;
        }
        if (!(document instanceof Map<?, ?>)) {
          throw Field.at(document, "", loaded.origin(), origins).fail("is " + Field.describe(document)
              + ", but a Compose file is a YAML mapping", "start the file with services: (and volumes:)");
        }
        interpolation.apply(document, loaded.origin(), origins);
        merged = merge.merge(merged, document, List.of());
      }
    }
    return (Map<Object, Object>) merged;
  }

  /**
   * {@code include:} loads other Compose files as projects of their own (their relative paths relative to them,
   * their own {@code .env} under this project's variables) and adds their services and volumes; where a name is
   * defined on both sides, this file's definition is laid over the included one.
   */
  @SuppressWarnings("unchecked")
  private void applyIncludes(Map<Object, Object> root, Path file, Map<String, String> variables, Deque<Path> chain)
      throws BadInputException {
    Field includes = Field.root(root, file, origins).get("include");
    root.remove("include");
    for (Field entry : includes.items("a list of Compose files to include")) {
      List<Path> paths = new ArrayList<>();
      Field pathField = entry.isMap() ? entry.get("path") : entry;
      if (pathField.isList()) {
        for (Field item : pathField.items("a list of Compose files")) {
          paths.add(resolve(item.text("a path to a Compose file"), item));
        }
      } else {
        paths.add(resolve(pathField.text("a path to a Compose file, or a mapping with path:"), pathField));
      }
      Path included = paths.get(0).toAbsolutePath().normalize();
      if (chain.contains(included)) {
        throw pathField.fail("includes " + included + ", which includes this file again",
            "remove the include cycle");
      }
      Map<String, String> own = new LinkedHashMap<>(DotEnv.read(included.getParent()));
      own.putAll(variables);
      Interpolation interpolation = new Interpolation(own);
      Map<Object, Object> imported = loadFiles(paths, interpolation);
      chain.push(included);
      applyIncludes(imported, paths.get(0), own, chain);
      chain.pop();
      resolveExtends(imported, paths.get(0), interpolation);
      for (String section : List.of("services", "volumes", "networks")) {
        Object from = imported.get(section);
        if (from instanceof Map<?, ?> definitions) {
          Object target = root.get(section);
          Map<Object, Object> into = target instanceof Map<?, ?> m ? (Map<Object, Object>) m : new LinkedHashMap<>();
          for (Map.Entry<?, ?> definition : definitions.entrySet()) {
            Object name = definition.getKey();
            Object local = into.get(name);
            if (local == null) {
              into.put(name, definition.getValue());
              origins.key(into, name, origins.ofKey(definitions, name, new Origin(paths.get(0), 1)));
            } else {
              into.put(name, merge.merge(definition.getValue(), local, List.of(section, String.valueOf(name))));
            }
          }
          root.put(section, into);
        }
      }
      appendDeclaredDatabases(root, imported);
    }
  }

  @SuppressWarnings("unchecked")
  private void appendDeclaredDatabases(Map<Object, Object> root, Map<Object, Object> imported) {
    if (imported.get("x-walguard") instanceof Map<?, ?> theirs && theirs.get("databases") instanceof List<?>) {
      Object ours = root.get("x-walguard");
      root.put("x-walguard", merge.merge(theirs, ours, List.of("x-walguard")));
    }
  }

  /** Replaces every service that {@code extends} another by the merge of the two, recursively. */
  private void resolveExtends(Map<Object, Object> root, Path file, Interpolation interpolation)
      throws BadInputException {
    if (!(root.get("services") instanceof Map<?, ?> services)) {
      return;
    }
    for (Object name : List.copyOf(services.keySet())) {
      Origin at = origins.ofKey(services, name, null);
      resolveService(services, String.valueOf(name), at == null ? file : at.file(), interpolation,
          new ArrayDeque<>());
    }
  }

  @SuppressWarnings("unchecked")
  private Object resolveService(Map<?, ?> services, String name, Path file, Interpolation interpolation,
      Deque<String> chain) throws BadInputException {
    Field service = Field.at(services, "services", new Origin(file, 1), origins).get(name);
    if (!(service.value() instanceof Map<?, ?> definition) || !definition.containsKey("extends")) {
      return service.value();
    }
    Field extend = service.get("extends");
    String baseName = extend.isMap() ? extend.get("service").text("the name of the service to extend")
        : extend.text("the name of the service to extend, or a mapping with service: and file:");
    if (baseName == null) {
      throw extend.fail("names no service", "write extends: {service: <name>} (and file: for another file)");
    }
    String baseFileName = extend.isMap() ? extend.get("file").text("the path of a Compose file") : null;
    Path baseFile = baseFileName == null ? file : resolve(baseFileName, extend.get("file"));
    Map<?, ?> baseServices = baseFileName == null ? services : servicesOf(baseFile, interpolation);
    String link = baseFile.toAbsolutePath().normalize() + "#" + baseName;
    if (chain.contains(link)) {
      throw extend.fail("leads back to service " + baseName + " (an extends cycle)", "break the cycle");
    }
    if (!baseServices.containsKey(baseName)) {
      throw extend.fail("names service " + Quoted.quoted(baseName) + ", which " + baseFile + " does not define",
          "name a service defined there");
    }
    chain.push(link);
    Object base = resolveService(baseServices, baseName, baseFile, interpolation, chain);
    chain.pop();
    Map<Object, Object> own = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : definition.entrySet()) {
      if (!"extends".equals(entry.getKey())) {
        own.put(entry.getKey(), entry.getValue());
        Origin line = origins.ofKey(definition, entry.getKey(), null);
        if (line != null) {
          origins.key(own, entry.getKey(), line);
        }
        if (origins.isReset(definition, entry.getKey())) {
          origins.reset(own, entry.getKey());
        }
        if (origins.isOverride(definition, entry.getKey())) {
          origins.override(own, entry.getKey());
        }
      }
    }
    Object merged = merge.merge(base, own, List.of("services", name));
    ((Map<Object, Object>) services).put(name, merged);
    return merged;
  }

  private Map<?, ?> servicesOf(Path file, Interpolation interpolation) throws BadInputException {
    Path key = file.toAbsolutePath().normalize();
    Map<?, ?> root = extendedFiles.get(key);
    if (root == null) {
      root = loadFiles(List.of(file), interpolation);
      extendedFiles.put(key, root);
    }
    return root.get("services") instanceof Map<?, ?> services ? services : Map.of();
  }

  /**
   * A Compose file named by include or extends, relative to the file that names it (or, in a file laid over another,
   * to the first file); it must exist here.
   */
  private static Path resolve(String written, Field field) throws BadInputException {
    if (written == null || written.isBlank()) {
      throw field.fail("is missing", "give the path of a Compose file");
    }
    if (written.contains("://") || written.startsWith("git@")) {
      throw field.fail("is " + Quoted.quoted(written) + ", a remote reference",
          "walguard reads local files only: fetch it and name the local copy");
    }
    Path path = Path.of(written);
    Path resolved = path.isAbsolute() ? path : field.baseDir().resolve(path).normalize();
    if (!Files.isRegularFile(resolved)) {
      throw field.fail("names " + resolved + ", which does not exist", "name an existing Compose file");
    }
    return resolved;
  }

  private void countFile(Path file) throws BadInputException {
    filesLoaded.add(file.toAbsolutePath().normalize());
    if (++loads > MAX_FILES) {
      throw new BadInputException(file + ": this project loads more than " + MAX_FILES
          + " files through include and extends; walguard stops there");
    }
  }

  /**
   * The top-level {@code name:}, which must already be a valid project name, or else the directory's name made
   * into one (lowercase letters, digits, {@code -} and {@code _}), as Compose does.
   */
  private static String projectName(Field root, Path projectDir) throws BadInputException {
    String name = root.get("name").text("the project name");
    if (name != null && !name.isEmpty()) {
      if (!normalized(name).equals(name)) {
        throw root.get("name").fail("is " + Quoted.quoted(name) + ", not a valid project name",
            "use lowercase letters, digits, - and _, starting with a letter or digit");
      }
      return name;
    }
    String fromDirectory = projectDir.getFileName() == null ? "" : normalized(projectDir.getFileName().toString());
    if (fromDirectory.isEmpty()) {
      throw new BadInputException(root.origin().file() + ": no name: at the top level, and the directory name \""
          + projectDir.getFileName() + "\" gives no project name; add name: <project> to the file");
    }
    return fromDirectory;
  }

  private static String normalized(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    return lower.replaceFirst("^[_-]+", "");
  }
}
