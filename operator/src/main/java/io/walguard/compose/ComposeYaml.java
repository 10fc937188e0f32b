package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.InMemoryStreamReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a Compose file with SnakeYAML the way Compose reads it: anchors, aliases and merge keys ({@code <<}) resolved,
 * the YAML 1.2 core schema ({@code yes}, {@code on} and dates stay strings, as in Compose), duplicate keys rejected,
 * Compose's {@code !reset} and {@code !override} tags understood, and limits that make hostile files fail fast.
 */
final class ComposeYaml {

  /** Larger files are refused before they are read. */
  static final int MAX_BYTES = 2 * 1024 * 1024;
  static final int MAX_NESTING = 64;
  static final int MAX_ALIASES = 1_000;
  /** How many values a file may hold once every alias is counted as the copy it stands for. */
  static final long MAX_EXPANDED_VALUES = 1_000_000;

  private static final Tag RESET = new Tag("!reset");
  private static final Tag OVERRIDE = new Tag("!override");
  private static final String FIX_LIMIT = "a Compose file this large or this nested is generated or hostile; "
      + "split it, or use fewer anchors";

  private ComposeYaml() {}

  /** One YAML document: its value (maps, lists and scalars) and where it starts. */
  record Document(Object value, Origin origin) {}

  /** Every YAML document of {@code file}; the lines of their values go to {@code origins}. */
  static List<Document> load(Path file, Origins origins) throws BadInputException {
    return load(file, null, origins);
  }

  /** The same, from {@code text} already read (standard input) when it is not null, else from the file. */
  static List<Document> load(Path file, String given, Origins origins) throws BadInputException {
    String text = given == null ? read(file) : given;
    if (text.length() > MAX_BYTES) {
      throw new BadInputException(file + ": more than the " + MAX_BYTES + " bytes walguard reads from one Compose"
          + " file; " + FIX_LIMIT);
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_BYTES);
    CoreSchemaResolver resolver = new CoreSchemaResolver();
    RecordingConstructor constructor = new RecordingConstructor(options, resolver, file, origins);
    constructor.setAllowDuplicateKeys(options.isAllowDuplicateKeys());
    List<Document> documents = new ArrayList<>();
    try {
      // What Yaml.loadAll does, but reading through a reader that stays linear on long values.
      constructor.setComposer(new Composer(new ParserImpl(new InMemoryStreamReader(text), options), resolver,
          options));
      while (constructor.checkData()) {
        Object document = constructor.getData();
        documents.add(new Document(document, constructor.documentStarts.get(documents.size())));
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      if (e.getContext() != null && problem.contains("duplicate key")) {
        problem = problem + " (Compose rejects a key written twice in one mapping)";
      }
      throw new BadInputException(where + ": not valid YAML: " + oneLine(problem)
          + "; fix the YAML syntax (check indentation, quotes and colons)", e);
    } catch (ReaderException e) {
      throw new BadInputException(file + ": character at offset " + e.getPosition() + " (code point "
          + e.getCodePoint() + ") is not allowed in YAML; remove it, or save the file as plain UTF-8 text", e);
    } catch (YAMLException e) {
      throw new BadInputException(file + ": cannot be read as YAML: " + oneLine(e.getMessage()) + "; " + FIX_LIMIT, e);
    } catch (RuntimeException e) {
      // SnakeYAML's safe constructor fails this way only on an explicit tag that does not fit its value.
      List<Origin> starts = constructor.documentStarts;
      throw new BadInputException((starts.isEmpty() ? file : starts.get(starts.size() - 1)) + ": a YAML tag that"
          + " does not fit its value (such as !!int on a word, or !!binary on a mapping); remove the tag", e);
    }
    for (Document document : documents) {
      checkExpansion(file, document.value());
    }
    return documents;
  }

  private static String read(Path file) throws BadInputException {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new BadInputException(file + ": " + size + " bytes, more than the " + MAX_BYTES
            + " walguard reads from one Compose file; " + FIX_LIMIT);
      }
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new BadInputException(file + ": not UTF-8 text; save the Compose file as UTF-8", e);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file; check the path given to -f", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * SnakeYAML shares one Java object among all the aliases of an anchor, so a billion-laughs file loads cheaply but
   * stands for an enormous document. Count it as Compose would see it, once per alias, and refuse it past a limit;
   * a structure that contains itself (which Compose also refuses) is caught on the way.
   */
  private static void checkExpansion(Path file, Object document) throws BadInputException {
    Map<Object, long[]> sizes = new IdentityHashMap<>();
    Set<Object> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    expandedSize(file, document, sizes, open);
  }

  /** The number of values and the depth of a value with its aliases expanded: {size, depth}. */
  private static long[] expandedSize(Path file, Object value, Map<Object, long[]> sizes, Set<Object> open)
      throws BadInputException {
    if (!(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
      return new long[] {1, 0};
    }
    long[] known = sizes.get(value);
    if (known != null) {
      return known;
    }
    if (!open.add(value)) {
      throw new BadInputException(file + ": an alias refers to a mapping or list that contains it (a recursive"
          + " structure), which Compose refuses too; point the alias at an anchor outside itself");
    }
    Collection<?> children = value instanceof Map<?, ?> map ? map.values() : (Collection<?>) value;
    long size = 1;
    long depth = 0;
    for (Object child : children) {
      long[] expanded = expandedSize(file, child, sizes, open);
      size += expanded[0];
      depth = Math.max(depth, expanded[1]);
      if (size > MAX_EXPANDED_VALUES) {
        throw new BadInputException(file + ": its anchors and aliases expand to more than " + MAX_EXPANDED_VALUES
            + " values (a billion-laughs pattern); " + FIX_LIMIT);
      }
    }
    // Aliases can nest a value deeper than the file itself is: merging such values would recurse that deep.
    if (depth + 1 > MAX_NESTING) {
      throw new BadInputException(file + ": its anchors and aliases nest values more than " + MAX_NESTING
          + " levels deep; " + FIX_LIMIT);
    }
    open.remove(value);
    long[] result = {size, depth + 1};
    sizes.put(value, result);
    return result;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\n\\s*", " ").trim();
  }

  /** The YAML 1.2 core schema, as Compose's YAML library applies it, instead of SnakeYAML's YAML 1.1 defaults. */
  static final class CoreSchemaResolver extends Resolver {
    private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    private static final Pattern CORE_INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
    private static final Pattern CORE_FLOAT = Pattern.compile(
        "^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$|^[-+]?\\.(?:inf|Inf|INF)$"
            + "|^\\.(?:nan|NaN|NAN)$");

    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF");
      addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }

  /** SafeConstructor (so merge keys are resolved as YAML specifies) that also records where each value was. */
  private static final class RecordingConstructor extends SafeConstructor {
    private final Resolver resolver;
    private final Path file;
    private final Origins origins;
    private final List<Origin> documentStarts = new ArrayList<>();

    RecordingConstructor(LoaderOptions options, Resolver resolver, Path file, Origins origins) {
      super(options);
      this.resolver = resolver;
      this.file = file;
      this.origins = origins;
      // !reset clears a value inherited through extends or an override; in a file of its own it is simply unset.
      yamlConstructors.put(RESET, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return null;
        }
      });
      yamlConstructors.put(OVERRIDE, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return constructObject(untagged(node));
        }
      });
    }

    @Override
    public Object getData() {
      if (!composer.checkNode()) {
        throw new java.util.NoSuchElementException("no YAML document left");
      }
      Node node = composer.getNode();
      documentStarts.add(origin(node));
      return constructDocument(node);
    }

    /** The same node without Compose's tag, so it is built as the plain value it holds. */
    private Node untagged(Node node) {
      if (node instanceof ScalarNode scalar) {
        Tag tag = resolver.resolve(NodeId.scalar, scalar.getValue(), true);
        return new ScalarNode(tag, true, scalar.getValue(), scalar.getStartMark(), scalar.getEndMark(),
            scalar.getScalarStyle());
      }
      if (node instanceof SequenceNode sequence) {
        return new SequenceNode(Tag.SEQ, true, sequence.getValue(), sequence.getStartMark(), sequence.getEndMark(),
            sequence.getFlowStyle());
      }
      MappingNode mapping = (MappingNode) node;
      MappingNode copy = new MappingNode(Tag.MAP, true, mapping.getValue(), mapping.getStartMark(),
          mapping.getEndMark(), mapping.getFlowStyle());
      copy.setMerged(mapping.isMerged());
      return copy;
    }

    @Override
    protected void constructMapping2ndStep(MappingNode node, Map<Object, Object> mapping) {
      super.constructMapping2ndStep(node, mapping);
      // After super, merge keys are flattened: node holds exactly the tuples that made the mapping.
      for (NodeTuple tuple : node.getValue()) {
        Object key = constructObject(tuple.getKeyNode());
        Node value = tuple.getValueNode();
        origins.key(mapping, key, origin(value));
        if (RESET.equals(value.getTag())) {
          origins.reset(mapping, key);
        } else if (OVERRIDE.equals(value.getTag())) {
          origins.override(mapping, key);
        }
      }
    }

    @Override
    protected void constructSequenceStep2(SequenceNode node, Collection<Object> collection) {
      super.constructSequenceStep2(node, collection);
      if (collection instanceof List<?> list) {
        origins.items(list, node.getValue().stream().map(this::origin).toList());
      }
    }

    private Origin origin(Node node) {
      return new Origin(file, node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1);
    }
  }
}
