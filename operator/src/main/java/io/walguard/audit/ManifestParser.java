package io.walguard.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.composer.Composer;
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
 * Reads one manifest file into documents: multi-document YAML through SnakeYAML, JSON (a value or a stream of
 * values) through Jackson. Both run with limits, so an alias bomb, a huge file or absurd nesting fails fast with a
 * message instead of exhausting memory or the stack.
 */
public final class ManifestParser {

  /** Larger than any real manifest bundle (CRD bundles run to a few MiB), small enough to refuse junk quickly. */
  public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
  /** Anchors reused as whole mappings or lists, per document; Kubernetes manifests rarely use any. */
  public static final int MAX_COLLECTION_ALIASES = 50;
  /** Kubernetes objects nest about 15 levels deep; CRD schemas somewhat more. */
  public static final int MAX_NESTING_DEPTH = 100;
  /** The size a document may reach once its aliases are expanded, counted in YAML nodes. */
  public static final int MAX_EXPANDED_NODES = 1_000_000;

  private final ObjectMapper json = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .build();

  public ManifestParser() {
    json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxDocumentLength(MAX_FILE_BYTES)
        .build());
  }

  /** The name under which standard input ({@code -f -}) appears in messages. */
  public static final Path STDIN = Path.of("<stdin>");

  public List<ManifestDocument> parse(Path file) throws BadInputException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file, in);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new BadInputException(file + ": cannot be read (permission denied)");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** Parses a stream (a file, or standard input), named {@code name} in messages: JSON when it ends .json. */
  public List<ManifestDocument> parse(Path name, InputStream in) throws BadInputException {
    String text = readText(name, in);
    return name.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
        ? parseJson(name, text)
        : parseYaml(name, text);
  }

  private static String readText(Path file, InputStream in) throws BadInputException {
    byte[] bytes;
    try {
      // Bounded, so that a device or an endless pipe is refused like a huge file.
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new BadInputException(file + ": more than walguard reads (" + MAX_FILE_BYTES / (1024 * 1024)
          + " MiB per file): not parsed; split it, or leave it out of -f");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new BadInputException(file + ": a binary file (NUL byte at offset " + i + "), not a manifest:"
            + " not parsed; leave it out of -f");
      }
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (MalformedInputException e) {
      throw new BadInputException(file + ": not UTF-8 text (a binary file?): not parsed; manifests must be UTF-8");
    } catch (CharacterCodingException e) {
      throw new BadInputException(file + ": not UTF-8 text: not parsed; manifests must be UTF-8");
    }
  }

  private List<ManifestDocument> parseYaml(Path file, String text) throws BadInputException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING_DEPTH);
    options.setCodePointLimit(MAX_FILE_BYTES);
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMergeOnCompose(true);
    DocumentConstructor constructor = new DocumentConstructor(options);
    constructor.setAllowDuplicateKeys(options.isAllowDuplicateKeys());

    List<ManifestDocument> documents = new ArrayList<>();
    try {
      LimitedComposer composer = new LimitedComposer(text, new KubernetesResolver(), options);
      while (composer.checkNode()) {
        Node node = composer.getNode();
        if (node == null) {
          continue;
        }
        int line = node.getStartMark().getLine() + 1;
        Origin origin = new Origin(file, line);
        checkExpansion(node, origin);
        documents.add(new ManifestDocument(construct(constructor, node, origin, options), origin,
            new NodeLines(node)));
      }
    } catch (Refused e) {
      throw new BadInputException(new Origin(file, e.mark.getLine() + 1).describe() + ": refused: " + e.getMessage());
    } catch (MarkedYAMLException e) {
      throw new BadInputException(yamlError(file, e, text));
    } catch (ReaderException e) {
      throw new BadInputException(file + ": character at offset " + e.getPosition() + " (code point "
          + e.getCodePoint() + ") is not allowed in YAML: not parsed");
    } catch (YAMLException e) {
      throw new BadInputException(file + ": refused: " + e.getMessage() + limitsNote());
    }
    return documents;
  }

  /** Tags that SnakeYAML builds from a scalar only, and those it builds from a mapping or a sequence only. */
  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.BINARY, Tag.TIMESTAMP);
  private static final Set<Tag> MAPPING_TAGS = Set.of(Tag.MAP, Tag.SET);

  /**
   * The document built as plain values. Implicit values always build; an explicit YAML tag that does not fit its
   * value ({@code !!int} on a word, {@code !!binary} on a mapping) makes SnakeYAML's safe constructor fail with
   * whatever exception its cast or its number parser throws, so any failure here is that, and the value is found.
   */
  private static Object construct(DocumentConstructor constructor, Node node, Origin origin, LoaderOptions options)
      throws BadInputException {
    try {
      return constructor.construct(node);
    } catch (MarkedYAMLException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BadInputException(origin.atLine(unfitTag(node, new IdentityHashMap<>(), options)).describe()
          + ": refused: a YAML tag that does not fit its value (such as !!int on a word, or !!binary on a"
          + " mapping): remove the tag");
    }
  }

  /** The line of the first value whose tag does not fit it, deepest first, or 0 when none is found. */
  private static int unfitTag(Node node, Map<Node, Boolean> seen, LoaderOptions options) {
    if (seen.put(node, Boolean.TRUE) != null) {
      return 0;
    }
    for (Node child : children(node)) {
      int line = unfitTag(child, seen, options);
      if (line > 0) {
        return line;
      }
    }
    Tag tag = node.getTag();
    boolean fits;
    if (node instanceof ScalarNode) {
      try {
        new DocumentConstructor(options).construct(node);
        fits = true;
      } catch (RuntimeException e) {
        fits = false;
      }
    } else if (node instanceof MappingNode) {
      fits = !SCALAR_TAGS.contains(tag) && !Tag.SEQ.equals(tag);
    } else {
      fits = !SCALAR_TAGS.contains(tag) && !MAPPING_TAGS.contains(tag);
    }
    return fits ? 0 : node.getStartMark().getLine() + 1;
  }

  private static List<Node> children(Node node) {
    List<Node> children = new ArrayList<>();
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        children.add(tuple.getKeyNode());
        children.add(tuple.getValueNode());
      }
    } else if (node instanceof SequenceNode sequence) {
      children.addAll(sequence.getValue());
    }
    return children;
  }

  private static String yamlError(Path file, MarkedYAMLException e, String text) {
    var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    StringBuilder message = new StringBuilder(file.toString());
    if (mark != null) {
      message.append(", line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
    }
    message.append(": YAML syntax error: ");
    String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
    if (e.getContext() != null && e.getProblem() != null) {
      message.append(e.getContext()).append(": ");
    }
    message.append(problem.strip());
    if (text.contains("{{")) {
      message.append(" (this looks like a Helm template: render it with `helm template` and audit the result)");
    }
    return message.toString();
  }

  private static String limitsNote() {
    return " (walguard reads at most " + MAX_COLLECTION_ALIASES + " aliases to mappings or lists and "
        + MAX_NESTING_DEPTH + " levels of nesting per document)";
  }

  /**
   * Counts the nodes a document becomes once its aliases are expanded, as Jackson will expand them, and how deep it
   * then nests; refuses recursive aliases, which no Kubernetes object can hold.
   */
  private static void checkExpansion(Node root, Origin origin) throws BadInputException {
    Expansion expansion = expansion(root, new IdentityHashMap<>(), new IdentityHashMap<>(), origin);
    if (expansion.size > MAX_EXPANDED_NODES) {
      throw new BadInputException(origin.describe() + ": refused: the document expands to more than "
          + MAX_EXPANDED_NODES + " values through its aliases (an alias bomb?)");
    }
    if (expansion.depth > MAX_NESTING_DEPTH) {
      throw new BadInputException(origin.describe() + ": refused: through its aliases the document nests more than "
          + MAX_NESTING_DEPTH + " levels deep");
    }
  }

  /** The size and depth of a node with its aliases expanded, both capped just past their limits. */
  private record Expansion(long size, int depth) {}

  private static Expansion expansion(Node node, Map<Node, Expansion> known, Map<Node, Boolean> open, Origin origin)
      throws BadInputException {
    Expansion done = known.get(node);
    if (done != null) {
      return done;
    }
    if (open.containsKey(node)) {
      throw new BadInputException(origin.atLine(node.getStartMark().getLine() + 1).describe()
          + ": refused: a recursive alias (an anchor that contains itself)");
    }
    open.put(node, Boolean.TRUE);
    long size = 1;
    int depth = 0;
    for (Node child : children(node)) {
      Expansion expanded = expansion(child, known, open, origin);
      size = Math.min(size + expanded.size, MAX_EXPANDED_NODES + 1L);
      depth = Math.max(depth, expanded.depth);
    }
    open.remove(node);
    Expansion expansion = new Expansion(size, Math.min(depth + 1, MAX_NESTING_DEPTH + 1));
    known.put(node, expansion);
    return expansion;
  }

  private List<ManifestDocument> parseJson(Path file, String text) throws BadInputException {
    List<ManifestDocument> documents = new ArrayList<>();
    JsonParser parser = null;
    try {
      parser = json.createParser(text);
      try (MappingIterator<Object> values = json.readerFor(Object.class).readValues(parser)) {
        while (values.hasNextValue()) {
          int line = values.getParser().currentTokenLocation().getLineNr();
          documents.add(new ManifestDocument(values.nextValue(), new Origin(file, line),
              ManifestDocument.FieldLines.NONE));
        }
      }
    } catch (StreamConstraintsException e) {
      // Jackson names its own settings in this message; the user needs the limit and the place.
      var location = parser.currentLocation();
      throw new BadInputException(file + ", line " + location.getLineNr() + ", column " + location.getColumnNr()
          + ": refused: JSON nesting depth over " + MAX_NESTING_DEPTH + " levels" + limitsNote());
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      String where = location == null || location.getLineNr() < 1 ? ""
          : ", line " + location.getLineNr() + ", column " + location.getColumnNr();
      throw new BadInputException(file + where + ": JSON syntax error: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    return documents;
  }

  /** YAML 1.1 scalars as Kubernetes reads them, except that timestamps stay strings (the API's own format). */
  private static final class KubernetesResolver extends Resolver {
    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
      Tag tag = super.resolve(kind, value, implicit);
      return Tag.TIMESTAMP.equals(tag) ? Tag.STR : tag;
    }
  }

  /**
   * SnakeYAML's composer reading through {@link InMemoryStreamReader}, with two refusals of its own, both made while a
   * document is being composed: a merge key ({@code <<}) that merges a mapping it is part of, on which SnakeYAML
   * would loop forever, and a document of more values than {@link #MAX_EXPANDED_NODES}, which would be refused after
   * its expansion anyway and is cheaper to refuse before it fills memory.
   */
  private static final class LimitedComposer extends Composer {
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private int nodes;

    LimitedComposer(String text, Resolver resolver, LoaderOptions options) {
      super(new ParserImpl(new InMemoryStreamReader(text), options), resolver, options);
    }

    @Override
    public Node getNode() {
      nodes = 0;
      open.clear();
      return super.getNode();
    }

    @Override
    protected Node composeScalarNode(String anchor, List<CommentLine> blockComments) {
      counted();
      return super.composeScalarNode(anchor, blockComments);
    }

    @Override
    protected Node composeSequenceNode(String anchor) {
      counted();
      return super.composeSequenceNode(anchor);
    }

    @Override
    protected Node composeMappingNode(String anchor) {
      counted();
      Node mapping = super.composeMappingNode(anchor);
      open.remove(mapping);
      return mapping;
    }

    @Override
    protected void composeMappingChildren(List<NodeTuple> children, MappingNode node) {
      open.add(node);
      super.composeMappingChildren(children, node);
      NodeTuple added = children.get(children.size() - 1);
      if (Tag.MERGE.equals(added.getKeyNode().getTag())) {
        Node value = added.getValueNode();
        List<Node> merged = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
        if (merged.stream().anyMatch(open::contains)) {
          throw new Refused(added.getKeyNode().getStartMark(), "a merge key (<<) merges a mapping it is part of"
              + " (an anchor that contains itself)");
        }
      }
    }

    private void counted() {
      if (++nodes > MAX_EXPANDED_NODES) {
        throw new Refused(parser.peekEvent().getStartMark(), "the document holds more than " + MAX_EXPANDED_NODES
            + " values");
      }
    }
  }

  /** A document refused while it was composed, and where. */
  private static final class Refused extends YAMLException {
    private final transient Mark mark;

    Refused(Mark mark, String message) {
      super(message);
      this.mark = mark;
    }
  }

  /** SnakeYAML's safe constructor, opened so each composed document (already limit-checked) can be built. */
  private static final class DocumentConstructor extends SafeConstructor {
    DocumentConstructor(LoaderOptions options) {
      super(options);
    }

    Object construct(Node node) {
      return constructDocument(node);
    }
  }

  /** The line of a field (its key's line, for a mapping entry): walks the composed node tree along the path. */
  private record NodeLines(Node root) implements ManifestDocument.FieldLines {
    @Override
    public int lineOf(List<Object> path) {
      Node node = root;
      Node at = root;
      for (Object step : path) {
        Node next = null;
        Node nextAt = null;
        if (step instanceof String key && node instanceof MappingNode mapping) {
          for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
              next = tuple.getValueNode();
              nextAt = tuple.getKeyNode();
            }
          }
        } else if (step instanceof Integer index && node instanceof SequenceNode sequence
            && index >= 0 && index < sequence.getValue().size()) {
          next = sequence.getValue().get(index);
          nextAt = next;
        }
        if (next == null) {
          break;
        }
        node = next;
        at = nextAt;
      }
      return at.getStartMark().getLine() + 1;
    }
  }
}
