package io.walguard.sqlite.bench;

import io.walguard.sqlite.safety.SharedMemoryPremise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The premise, measured: two writers that do not share the wal-index, in WAL and in rollback-journal mode, through
 * hard links (always) and through bindfs FUSE views (when bindfs can mount here).
 */
final class PremiseSection {

  private static final int ROWS = 1000;

  private PremiseSection() {}

  static String write(Path work, int rounds) throws Exception {
    StringBuilder s = new StringBuilder("## The premise: two writers without a shared wal-index\n\n");
    s.append("Two processes each commit ").append(ROWS).append(" rows, one transaction per row, into one database "
        + "at the same time. `lost` counts rows a writer was told were committed that are not in the file afterwards; "
        + "`errors` are failures the writers were told about. What each layout simulates is in docs/sqlite-toolbox.md.\n\n");
    s.append("| layout | journal | round | committed A / B | found A / B | lost | errors (last) | integrity_check |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (String mode : List.of("wal", "delete")) {
      for (int r = 1; r <= rounds; r++) {
        row(s, "private -shm (hard links)", r,
            SharedMemoryPremise.round(work.resolve("premise-link-" + mode + r), mode, ROWS));
      }
    }
    if (bindfsWorks(work)) {
      List<List<String>> views = List.of(
          List.of(),
          List.of("--multithreaded", "--enable-lock-forwarding", "-o", "direct_io"));
      for (List<String> options : views) {
        String name = options.isEmpty() ? "bindfs view (defaults)" : "bindfs view (" + String.join(" ", options) + ")";
        for (String mode : List.of("wal", "delete")) {
          for (int r = 1; r <= rounds; r++) {
            Path real = Files.createDirectories(work.resolve("premise-real-" + mode + r + options.size()));
            Path view = Files.createDirectories(work.resolve("premise-view-" + mode + r + options.size()));
            mount(real, view, options);
            try {
              row(s, name, r, SharedMemoryPremise.round(real.resolve("db"), mode, ROWS, view.resolve("db")));
            } finally {
              unmount(view);
            }
          }
        }
      }
    } else {
      s.append("\nThe bindfs rows are missing: bindfs could not mount here (it needs /dev/fuse and the bindfs package).\n");
    }
    return s.append("\n").toString();
  }

  private static void row(StringBuilder s, String layout, int round, SharedMemoryPremise.Round r) {
    String integrity = r.integrity().length() > 60 ? r.integrity().substring(0, 60) + "..." : r.integrity();
    String last = r.errors() == 0 ? "" : " (" + (r.lastError().length() > 50 ? r.lastError().substring(0, 50) + "..." : r.lastError()) + ")";
    s.append("| ").append(layout).append(" | ").append(r.journalMode()).append(" | ").append(round).append(" | ")
        .append(r.committedA()).append(" / ").append(r.committedB()).append(" | ").append(r.foundA()).append(" / ")
        .append(r.foundB()).append(" | ").append(r.lost()).append(" | ").append(r.errors()).append(last).append(" | ")
        .append(integrity.replace("|", "/").replace("***", "")).append(" |\n");
    System.err.println(layout + " round " + round + ": " + r.summary());
  }

  private static boolean bindfsWorks(Path work) throws Exception {
    if (!Files.exists(Path.of("/dev/fuse"))) return false;
    Path a = Files.createDirectories(work.resolve("bindfs-check-src"));
    Path b = Files.createDirectories(work.resolve("bindfs-check-mnt"));
    try {
      mount(a, b, List.of());
    } catch (Exception e) {
      return false;
    }
    unmount(b);
    return true;
  }

  private static void mount(Path source, Path mountPoint, List<String> options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bindfs"));
    cmd.addAll(options);
    cmd.add(source.toString());
    cmd.add(mountPoint.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("bindfs: " + said);
  }

  private static void unmount(Path mountPoint) throws Exception {
    for (int i = 0; i < 20; i++) {
      Process p = new ProcessBuilder("fusermount", "-u", mountPoint.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return;
      Thread.sleep(100);
    }
    new ProcessBuilder("fusermount", "-u", "-z", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }
}
