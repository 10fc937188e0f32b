package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of a service's {@code volumes:}, in short syntax ({@code db:/data}, {@code ./dir:/data:ro}) or long
 * syntax ({@code type}, {@code source}, {@code target}).
 *
 * @param kind a named volume, a host directory, or something that holds no shared file (tmpfs, npipe, image)
 * @param source the volume key or the host path as written; null for an anonymous volume
 * @param hostPath for a bind mount, the host path made absolute against the directory of the file that declares it
 *     (or of the first file, for a file laid over it; a leading {@code ~} is kept as written), so that two spellings
 *     of one directory are one mount
 * @param target the path inside the container
 */
record ServiceMount(Kind kind, String source, Path hostPath, String target, Field field) {

  enum Kind { volume, bind, other }

  private static final Set<String> VOLUME_TYPES = Set.of("volume", "cluster");
  private static final Set<String> OTHER_TYPES = Set.of("tmpfs", "npipe", "image");
  private static final Pattern WINDOWS_PATH = Pattern.compile("^[A-Za-z]:[\\\\/].*");

  static ServiceMount read(Field item) throws BadInputException {
    if (item.value() instanceof String spec) {
      return shortSyntax(spec, item);
    }
    if (item.isMap()) {
      return longSyntax(item);
    }
    throw item.fail("is " + Field.describe(item.value()) + ", but Compose expects a mount",
        "write SOURCE:TARGET[:MODE] or a mapping with type, source and target");
  }

  private static ServiceMount shortSyntax(String spec, Field item) throws BadInputException {
    List<String> parts = split(spec);
    if (parts.size() == 1) {
      return new ServiceMount(Kind.volume, null, null, parts.get(0), item);
    }
    if (parts.size() > 3 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
      throw item.fail(Quoted.quoted(spec) + " is not a mount", "write SOURCE:TARGET or SOURCE:TARGET:MODE, e.g."
          + " db:/var/lib/app or ./data:/data:ro");
    }
    return of(parts.get(0), parts.get(1), isHostPath(parts.get(0)) ? Kind.bind : Kind.volume, item);
  }

  private static ServiceMount longSyntax(Field item) throws BadInputException {
    String type = item.get("type").text("a mount type");
    String source = item.get("source").text("the mount's source (a volume key or a host path)");
    String target = item.get("target").text("the mount's target path in the container");
    if (type == null) {
      throw item.fail("has no type", "add type: volume, bind or tmpfs (Compose requires it in the long syntax)");
    }
    if (OTHER_TYPES.contains(type)) {
      return new ServiceMount(Kind.other, source, null, target, item);
    }
    if (VOLUME_TYPES.contains(type)) {
      return source == null || source.isEmpty() ? new ServiceMount(Kind.volume, null, null, target, item)
          : of(source, target, Kind.volume, item);
    }
    if (type.equals("bind")) {
      if (source == null || source.isEmpty()) {
        throw item.get("source").fail("is missing", "a bind mount needs source: the host path to mount");
      }
      return of(source, target, Kind.bind, item);
    }
    throw item.get("type").fail("is " + Quoted.quoted(type) + ", which Compose does not know",
        "use one of volume, bind, tmpfs, cluster, npipe, image");
  }

  private static ServiceMount of(String source, String target, Kind kind, Field item) {
    return new ServiceMount(kind, source, kind == Kind.bind ? hostPath(source, item.baseDir()) : null, target, item);
  }

  /**
   * A host path as written, made absolute against {@code baseDir}: the directory of the file it was written in, or
   * for a file laid over another, the first file's directory.
   */
  static Path hostPath(String written, Path baseDir) {
    Path path = Path.of(written);
    if (written.startsWith("~") || WINDOWS_PATH.matcher(written).matches() || path.isAbsolute()) {
      return path.normalize();
    }
    return baseDir.resolve(path).normalize();
  }

  /** Compose reads a source as a host path when it starts with {@code .}, {@code /}, {@code ~} or a drive letter. */
  static boolean isHostPath(String source) {
    return source.startsWith(".") || source.startsWith("/") || source.startsWith("~") || source.startsWith("\\")
        || WINDOWS_PATH.matcher(source).matches();
  }

  /** The container path of a mount as found in a raw Compose model, or null: mounts merge by this key. */
  static String targetOf(Object item) {
    if (item instanceof String spec) {
      List<String> parts = split(spec);
      return parts.size() == 1 ? parts.get(0) : parts.get(1);
    }
    if (item instanceof Map<?, ?> map && map.get("target") instanceof String target) {
      return target;
    }
    return null;
  }

  /** Splits on colons, keeping a Windows drive letter ({@code C:\data}) with its path. */
  private static List<String> split(String spec) {
    List<String> parts = new ArrayList<>(Arrays.asList(spec.split(":", -1)));
    if (parts.size() > 2 && parts.get(0).length() == 1 && Character.isLetter(parts.get(0).charAt(0))
        && (parts.get(1).startsWith("\\") || parts.get(1).startsWith("/"))) {
      parts.set(0, parts.get(0) + ":" + parts.remove(1));
    }
    return parts;
  }
}
