package io.walguard.sqlite.probe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The statfs(2) f_type values walguard knows, from {@code statfs-types.yaml}: data a contributor can extend. */
public final class StatfsTypes {

  /** One magic number and the mount-table names of the filesystems that report it. */
  public record Type(String magic, List<String> names) {

    long value() {
      return Long.parseUnsignedLong(magic.substring(2), 16);
    }

    /** Whether a mount-table filesystem type is one of these names ({@code fuse.*} stands for every FUSE type). */
    public boolean includes(String fstype) {
      return names.contains(fstype)
          || (names.contains("fuse.*") && fstype != null && fstype.startsWith("fuse."));
    }
  }

  private final List<Type> types;

  public StatfsTypes(List<Type> types) {
    this.types = List.copyOf(types);
  }

  public static StatfsTypes builtIn() {
    try (InputStream in = StatfsTypes.class.getResourceAsStream("statfs-types.yaml")) {
      if (in == null) {
        throw new IllegalStateException("statfs-types.yaml missing from the walguard jar");
      }
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
      return new StatfsTypes(yaml.readValue(in, File.class).types());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in statfs types", e);
    }
  }

  public Optional<Type> of(long magic) {
    return types.stream().filter(t -> t.value() == magic).findFirst();
  }

  private record File(List<Type> types) {}
}
