package io.walguard.storage;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the YAML of a storage table and checks it field by field, so that a mistake in a user's file is reported
 * with the file, the entry and the field rather than as a parser's stack trace.
 */
final class DriverTableReader {

  static final String DRIVERS = "drivers";
  static final String FILESYSTEMS = "filesystems";
  static final String VOLUME_SOURCES = "volumeSources";
  static final String MOUNT_OPTIONS = "mountOptions";
  private static final List<String> TABLES = List.of(DRIVERS, FILESYSTEMS, VOLUME_SOURCES, MOUNT_OPTIONS);

  /** The fields each table allows; a field outside these is a typo worth reporting. */
  private static final Map<String, List<String>> FIELDS = Map.of(
      DRIVERS, List.of("name", "kind", "description", "refine", "mountOptionParameters", "nfsVersion"),
      FILESYSTEMS, List.of("name", "kind", "description"),
      VOLUME_SOURCES, List.of("name", "kind", "description", "refine", "details"),
      MOUNT_OPTIONS, List.of("name", "kind", "description"));
  private static final List<String> REFINE_FIELDS =
      List.of("parameter", "values", "accessMode", "fsType", "kind", "description");
  private static final List<String> ACCESS_MODES =
      List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
  private static final String KINDS =
      Arrays.stream(StorageKind.values()).map(Enum::name).collect(Collectors.joining(", "));

  private static final Pattern NFS_VERSION = Pattern.compile("[234](\\.\\d+)?");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  record Tables(List<DriverEntry> drivers, List<DriverEntry> filesystems, List<DriverEntry> volumeSources,
      List<DriverEntry> mountOptions) {}

  private final String source;

  private DriverTableReader(String source) {
    this.source = source;
  }

  /** Parses {@code yaml}; {@code source} names it in every error (e.g. {@code drivers file ./my-drivers.yaml}). */
  static Tables read(String yaml, String source) {
    return new DriverTableReader(source).read(yaml);
  }

  private Tables read(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new DriverTableException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new Tables(List.of(), List.of(), List.of(), List.of());
    }
    if (!root.isObject()) {
      throw new DriverTableException(source + ": the top level must be a mapping with the keys "
          + String.join(", ", TABLES));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!FIELDS.containsKey(key)) {
        throw new DriverTableException(source + ": unknown top-level key \"" + key + "\"; allowed: "
            + String.join(", ", TABLES));
      }
    }
    return new Tables(table(root, DRIVERS), table(root, FILESYSTEMS), table(root, VOLUME_SOURCES),
        table(root, MOUNT_OPTIONS));
  }

  private List<DriverEntry> table(JsonNode root, String table) {
    JsonNode list = root.get(table);
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new DriverTableException(source + ": " + table + " must be a list of entries");
    }
    List<DriverEntry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      DriverEntry entry = entry(list.get(i), table, i);
      if (!seen.add(entry.name().toLowerCase(Locale.ROOT))) {
        throw new DriverTableException(where(table, i, entry.name()) + ": the name appears twice in " + table
            + "; keep one entry per name");
      }
      entries.add(entry);
    }
    return List.copyOf(entries);
  }

  private DriverEntry entry(JsonNode node, String table, int index) {
    if (!node.isObject()) {
      throw new DriverTableException(where(table, index, null) + ": must be a mapping with name, kind and description");
    }
    JsonNode nameNode = node.get("name");
    String name = nameNode == null || !nameNode.isValueNode() ? null : nameNode.asText().trim();
    if (name == null || name.isEmpty()) {
      throw new DriverTableException(where(table, index, null) + ": field name is missing; give the "
          + switch (table) {
            case FILESYSTEMS -> "filesystem type";
            case DRIVERS -> "driver or provisioner name";
            case MOUNT_OPTIONS -> "mount option name";
            default -> "PV spec field";
          } + ", or a pattern with *");
    }
    String where = where(table, index, name);
    unknownFields(node, FIELDS.get(table), where, "");
    StorageKind kind = kind(node.get("kind"), where, "kind");
    String description = text(node.get("description"), where, "description");
    List<Refinement> refine = new ArrayList<>();
    JsonNode refineNode = node.get("refine");
    if (refineNode != null && !refineNode.isNull()) {
      if (!refineNode.isArray()) {
        throw new DriverTableException(where + ": field refine must be a list of conditions");
      }
      for (int r = 0; r < refineNode.size(); r++) {
        refine.add(refinement(refineNode.get(r), where, "refine[" + r + "]"));
      }
    }
    String nfsVersion = text(node.get("nfsVersion"), where, "nfsVersion");
    if (nfsVersion != null && !NFS_VERSION.matcher(nfsVersion).matches()) {
      throw new DriverTableException(where + ": field nfsVersion: \"" + nfsVersion + "\" is not an NFS version"
          + " such as 3, 4 or 4.1");
    }
    return new DriverEntry(name, kind, description, refine,
        strings(node.get("mountOptionParameters"), where, "mountOptionParameters"),
        strings(node.get("details"), where, "details"), nfsVersion);
  }

  private Refinement refinement(JsonNode node, String where, String path) {
    if (!node.isObject()) {
      throw new DriverTableException(where + ": field " + path + " must be a mapping with one of parameter,"
          + " accessMode or fsType, and kind");
    }
    unknownFields(node, REFINE_FIELDS, where, path + ".");
    String parameter = text(node.get("parameter"), where, path + ".parameter");
    String accessMode = text(node.get("accessMode"), where, path + ".accessMode");
    List<String> fsTypes = strings(node.get("fsType"), where, path + ".fsType");
    int conditions = (parameter == null ? 0 : 1) + (accessMode == null ? 0 : 1) + (fsTypes.isEmpty() ? 0 : 1);
    if (conditions != 1) {
      throw new DriverTableException(where + ": field " + path + " must have exactly one of parameter, accessMode"
          + " or fsType (it has " + conditions + ")");
    }
    if (accessMode != null && !ACCESS_MODES.contains(accessMode)) {
      throw new DriverTableException(where + ": field " + path + ".accessMode: \"" + accessMode
          + "\" is not one of " + String.join(", ", ACCESS_MODES));
    }
    List<String> values = strings(node.get("values"), where, path + ".values");
    if (!values.isEmpty() && parameter == null) {
      throw new DriverTableException(where + ": field " + path + ".values only goes with parameter");
    }
    StorageKind kind = kind(node.get("kind"), where, path + ".kind");
    return new Refinement(parameter, values, accessMode, fsTypes, kind,
        text(node.get("description"), where, path + ".description"));
  }

  private void unknownFields(JsonNode node, List<String> allowed, String where, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new DriverTableException(where + ": unknown field " + prefix + field + "; allowed: "
            + String.join(", ", allowed));
      }
    }
  }

  private StorageKind kind(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      throw new DriverTableException(where + ": field " + field + " is missing; give one of " + KINDS);
    }
    String text = node.asText().trim();
    for (StorageKind kind : StorageKind.values()) {
      if (kind.name().equalsIgnoreCase(text)) {
        return kind;
      }
    }
    throw new DriverTableException(where + ": field " + field + ": \"" + text + "\" is not one of " + KINDS);
  }

  private String text(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new DriverTableException(where + ": field " + field + " must be a single value, not a list or mapping");
    }
    String text = node.asText().trim();
    return text.isEmpty() ? null : text;
  }

  /** A list of scalars, or one scalar standing for a list of one. */
  private List<String> strings(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isValueNode()) {
      return List.of(node.asText().trim());
    }
    if (!node.isArray()) {
      throw new DriverTableException(where + ": field " + field + " must be a list of values");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isValueNode() || item.isNull()) {
        throw new DriverTableException(where + ": field " + field + " must hold plain values, not lists or mappings");
      }
      values.add(item.asText().trim());
    }
    return values;
  }

  private String where(String table, int index, String name) {
    return source + ": " + table + "[" + index + "]" + (name == null ? "" : " \"" + name + "\"");
  }
}
