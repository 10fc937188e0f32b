package io.walguard.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage table: CSI drivers and provisioners, filesystem types seen by a probe, in-tree PV volume sources,
 * and mount options only network filesystems take, each with its kind. Data (the resource {@code io/walguard/storage/drivers.yaml}), not a chain of ifs:
 * a user's file or ConfigMap of the same shape adds entries or replaces built-in ones by name.
 *
 * <p>Immutable: {@link #withFile} and {@link #withOverlay} return a new table.
 */
public final class DriverTable {

  private static final String RESOURCE = "drivers.yaml";

  private final Section drivers;
  private final Section filesystems;
  private final Section volumeSources;
  private final Section mountOptions;

  private DriverTable(Section drivers, Section filesystems, Section volumeSources, Section mountOptions) {
    this.drivers = drivers;
    this.filesystems = filesystems;
    this.volumeSources = volumeSources;
    this.mountOptions = mountOptions;
  }

  /** The table shipped with walguard ({@code io/walguard/storage/drivers.yaml}). */
  public static DriverTable builtIn() {
    return BuiltIn.TABLE;
  }

  /**
   * The built-in table with a user's file laid over it: entries with the same name replace the built-in ones.
   *
   * @throws DriverTableException when the file cannot be read or breaks the schema; the message names the file,
   *     the entry and the field
   */
  public static DriverTable builtInWith(Path userFile) {
    return builtIn().withFile(userFile);
  }

  /** This table with the entries of a user's file laid over it. */
  public DriverTable withFile(Path userFile) {
    String source = "drivers file " + userFile;
    String yaml;
    try {
      yaml = Files.readString(userFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DriverTableException(source + ": no such file", e);
    } catch (CharacterCodingException e) {
      throw new DriverTableException(source + ": not UTF-8 text; give a YAML file", e);
    } catch (IOException e) {
      throw new DriverTableException(source + ": cannot be read (" + e.getMessage() + ")", e);
    }
    return withOverlay(yaml, source);
  }

  /**
   * This table with the entries of {@code yaml} laid over it (for example a ConfigMap's data).
   *
   * @param sourceName how errors name the text, e.g. {@code ConfigMap walguard/walguard-drivers key drivers.yaml}
   */
  public DriverTable withOverlay(String yaml, String sourceName) {
    DriverTableReader.Tables tables = DriverTableReader.read(yaml, sourceName);
    return new DriverTable(drivers.with(tables.drivers()), filesystems.with(tables.filesystems()),
        volumeSources.with(tables.volumeSources()), mountOptions.with(tables.mountOptions()));
  }

  /** The entry for a CSI driver or provisioner name: an exact entry, else the most specific pattern. */
  public Optional<DriverEntry> driver(String name) {
    return drivers.find(name);
  }

  /** The entry for a filesystem type as a probe reads it from {@code /proc/self/mountinfo}. */
  public Optional<DriverEntry> filesystem(String fstype) {
    return filesystems.find(fstype);
  }

  /** The entry for an in-tree volume field of a PV spec, e.g. {@code nfs} or {@code hostPath}. */
  public Optional<DriverEntry> volumeSource(String field) {
    return volumeSources.find(field);
  }

  /** The entry for a mount option's name (the part before {@code =}) that only a network filesystem takes. */
  public Optional<DriverEntry> mountOption(String name) {
    return mountOptions.find(name);
  }

  public List<DriverEntry> drivers() {
    return drivers.entries();
  }

  public List<DriverEntry> filesystems() {
    return filesystems.entries();
  }

  public List<DriverEntry> volumeSources() {
    return volumeSources.entries();
  }

  public List<DriverEntry> mountOptions() {
    return mountOptions.entries();
  }

  /** One table, keyed by lower-cased name; a later entry with the same name replaces the earlier one in place. */
  private static final class Section {
    private final Map<String, Row> rows;

    private Section(Map<String, Row> rows) {
      this.rows = rows;
    }

    Section with(List<DriverEntry> entries) {
      Map<String, Row> merged = new LinkedHashMap<>(rows);
      for (DriverEntry entry : entries) {
        NamePattern pattern = entry.pattern();
        merged.put(pattern.key(), new Row(entry, pattern));
      }
      return new Section(merged);
    }

    Optional<DriverEntry> find(String name) {
      if (name == null || name.isBlank()) {
        return Optional.empty();
      }
      String trimmed = name.trim();
      Row exact = rows.get(NamePattern.of(trimmed).key());
      if (exact != null && !exact.pattern().isPattern()) {
        return Optional.of(exact.entry());
      }
      // The pattern with the most fixed text wins; between equals, the one listed first.
      return rows.values().stream()
          .filter(r -> r.pattern().isPattern() && r.pattern().matches(trimmed))
          .reduce((best, next) -> next.pattern().fixedLength() > best.pattern().fixedLength() ? next : best)
          .map(Row::entry);
    }

    List<DriverEntry> entries() {
      return rows.values().stream().map(Row::entry).toList();
    }
  }

  private record Row(DriverEntry entry, NamePattern pattern) {}

  /** Loaded once, on first use: the resource never changes while walguard runs. */
  private static final class BuiltIn {
    static final DriverTable TABLE = load();

    private static DriverTable load() {
      try (InputStream in = DriverTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the walguard jar");
        }
        String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Section empty = new Section(Map.of());
        return new DriverTable(empty, empty, empty, empty).withOverlay(yaml, "built-in " + RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the built-in " + RESOURCE, e);
      }
    }
  }
}
