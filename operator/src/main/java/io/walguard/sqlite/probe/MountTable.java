package io.walguard.sqlite.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The mounts this process sees, and which of them really backs a path. */
public final class MountTable {

  public static final Path PROC_SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final List<MountEntry> entries;

  public MountTable(List<MountEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static MountTable read(Path mountinfo) throws IOException {
    return parse(Files.readAllLines(mountinfo));
  }

  public static MountTable parse(List<String> lines) {
    List<MountEntry> entries = new ArrayList<>();
    for (String line : lines) {
      MountEntry e = MountEntry.parse(line);
      if (e != null) entries.add(e);
    }
    return new MountTable(entries);
  }

  /**
   * The mount whose mount point is the longest prefix of {@code realPath} on a path-component boundary. When several
   * are mounted on the same point, the last one listed is on top and the one that is seen.
   */
  public Optional<MountEntry> backing(String realPath) {
    MountEntry best = null;
    for (MountEntry e : entries) {
      if (!covers(e.mountPoint(), realPath)) continue;
      if (best == null || e.mountPoint().length() >= best.mountPoint().length()) best = e;
    }
    return Optional.ofNullable(best);
  }

  static boolean covers(String mountPoint, String path) {
    if (mountPoint.equals("/")) return path.startsWith("/");
    return path.equals(mountPoint) || path.startsWith(mountPoint + "/");
  }

  public List<MountEntry> entries() {
    return entries;
  }
}
