package io.walguard.sqlite.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The filesystem type the kernel reports for a path through statfs(2), its {@code f_type}. The JDK has no statfs
 * ({@code FileStore.type()} reads the mount table, the same source as {@code /proc/self/mountinfo}), so it is read
 * with coreutils' {@code stat -f}, which calls statfs on the path itself: a second source beside the mount table,
 * which can only be matched to the path by its mount point.
 */
public final class Statfs {

  private static final long TIMEOUT_SECONDS = 10;

  /**
   * What statfs said about a path.
   *
   * @param type f_type in hex, e.g. {@code 0x6969}
   * @param names the mount-table names of filesystems with that f_type, from walguard's table (absent when the
   *     table does not know it)
   * @param statName what {@code stat} calls it, e.g. {@code nfs}, {@code ext2/ext3}
   * @param agrees whether the mount table's filesystem type is one of {@code names} (absent when it cannot say)
   * @param unavailable why there is no answer, e.g. {@code stat} is not installed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Answer(String type, List<String> names, String statName, Boolean agrees, String unavailable) {

    static Answer unavailable(String why) {
      return new Answer(null, null, null, null, why);
    }

    /** Words for the evidence: how statfs bears on the mount table's answer. */
    public String describe() {
      if (unavailable != null) return "the mount table only (statfs unavailable: " + unavailable + ")";
      if (agrees == null) return "statfs f_type " + type + " (" + statName + ") is not in walguard's table";
      return agrees ? "statfs f_type " + type + " agrees" : "statfs f_type " + type + " says " + names.get(0);
    }
  }

  private final List<String> command;
  private final StatfsTypes types;

  /** @param command the program and options that print {@code "<f_type in hex> <name>"} for a path appended to it */
  public Statfs(List<String> command, StatfsTypes types) {
    this.command = List.copyOf(command);
    this.types = types;
  }

  /** coreutils' {@code stat -f -c '%t %T'}. */
  public static Statfs withCoreutils() {
    return new Statfs(List.of("stat", "-f", "-c", "%t %T"), StatfsTypes.builtIn());
  }

  /** statfs of {@code path}, judged against the filesystem type the mount table gave for it. */
  public Answer read(Path path, String mountFstype) {
    List<String> cmd = new ArrayList<>(command);
    cmd.add(path.toString());
    String out;
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Answer.unavailable(command.get(0) + " did not answer within " + TIMEOUT_SECONDS + " s");
      }
      out = new String(bytes, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        return Answer.unavailable(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
      }
    } catch (IOException e) {
      return Answer.unavailable("cannot run " + command.get(0) + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.unavailable("interrupted");
    }
    String[] words = out.split("\\s+", 2);
    long magic;
    try {
      magic = Long.parseUnsignedLong(words[0], 16);
    } catch (NumberFormatException e) {
      return Answer.unavailable(String.join(" ", command) + " printed \"" + out + "\", not a type in hex");
    }
    String type = "0x" + Long.toHexString(magic).toLowerCase(Locale.ROOT);
    String statName = words.length > 1 ? words[1] : null;
    return types.of(magic)
        .map(t -> new Answer(type, t.names(), statName, t.includes(mountFstype), null))
        .orElseGet(() -> new Answer(type, null, statName, null, null));
  }
}
