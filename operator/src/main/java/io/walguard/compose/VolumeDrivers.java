package io.walguard.compose;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.walguard.storage.StorageKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The table of what backs a Docker volume ({@code io/walguard/compose/volume-drivers.yaml}): kernel filesystem types
 * for Docker's {@code local} driver, and volume plugins by alias or image. Data a contributor can extend.
 */
final class VolumeDrivers {

  /** A filesystem type of the {@code local} driver ({@code driver_opts.type}). */
  record Filesystem(List<String> types, String prefix, StorageKind kind, String locks, String note) {
    boolean matches(String type) {
      return types.contains(type) || (prefix != null && type.startsWith(prefix));
    }
  }

  /** A driver_opts value that changes what backs a plugin's volume. */
  record OptionRule(String option, String equals, StorageKind kind, String note) {}

  /** A volume plugin. */
  record Plugin(List<String> names, StorageKind kind, String note, List<OptionRule> options) {
    List<OptionRule> optionRules() {
      return options == null ? List.of() : options;
    }
  }

  private record Table(List<Filesystem> filesystems, List<Plugin> plugins) {}

  private static final VolumeDrivers BUILT_IN = load();

  private final Table table;

  private VolumeDrivers(Table table) {
    this.table = table;
  }

  static VolumeDrivers builtIn() {
    return BUILT_IN;
  }

  List<Plugin> plugins() {
    return table.plugins();
  }

  List<Filesystem> filesystems() {
    return table.filesystems();
  }

  Optional<Filesystem> filesystem(String type) {
    String lower = type.toLowerCase(Locale.ROOT);
    return table.filesystems().stream().filter(f -> f.matches(lower)).findFirst();
  }

  /** The plugin a {@code driver:} names: by its alias, or by its image without tag or digest. */
  Optional<Plugin> plugin(String driver) {
    String name = driver.toLowerCase(Locale.ROOT).trim();
    int digest = name.indexOf('@');
    if (digest >= 0) {
      name = name.substring(0, digest);
    }
    name = name.replaceFirst("^(?:index\\.)?docker\\.io/(?:library/)?", "");
    String exact = name;
    int colon = name.lastIndexOf(':');
    String untagged = colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    return table.plugins().stream().filter(p -> p.names().contains(exact)).findFirst()
        .or(() -> table.plugins().stream().filter(p -> p.names().contains(untagged)).findFirst());
  }

  /** The first option rule of {@code plugin} that {@code driverOpts} meets. */
  static Optional<OptionRule> option(Plugin plugin, Map<String, String> driverOpts) {
    return plugin.optionRules().stream()
        .filter(rule -> rule.equals().equalsIgnoreCase(driverOpts.getOrDefault(rule.option(), "").trim()))
        .findFirst();
  }

  private static VolumeDrivers load() {
    try (InputStream in = VolumeDrivers.class.getResourceAsStream("volume-drivers.yaml")) {
      if (in == null) {
        throw new IllegalStateException("volume-drivers.yaml missing from the walguard jar");
      }
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
      return new VolumeDrivers(yaml.readValue(in, Table.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in volume driver table", e);
    }
  }
}
