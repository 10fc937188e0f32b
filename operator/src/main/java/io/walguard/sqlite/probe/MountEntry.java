package io.walguard.sqlite.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code /proc/self/mountinfo} (proc(5)): {@code 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3
 * /dev/root rw,errors=continue}.
 *
 * @param root the directory of the filesystem that is mounted here (a subdirectory for bind mounts and volume subpaths)
 * @param mountOptions per-mount options ({@code rw,noatime})
 * @param superOptions per-filesystem options, where NFS keeps {@code vers=}, {@code local_lock=} and friends
 */
public record MountEntry(int mountId, int parentId, String device, String root, String mountPoint,
    String mountOptions, String fstype, String source, String superOptions) {

  /** Parses one line; null when it does not have the documented shape. */
  public static MountEntry parse(String line) {
    String[] f = line.trim().split(" ");
    int dash = Arrays.asList(f).indexOf("-");
    if (dash < 6 || f.length < dash + 3) return null;
    try {
      return new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]), unescape(f[4]),
          f[5], unescape(f[dash + 1]), unescape(f[dash + 2]), f.length > dash + 3 ? unescape(f[dash + 3]) : "");
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes ({@code \040}). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) return false;
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
    }
    return true;
  }

  /**
   * Mount and super options together, the way {@link io.walguard.storage.MountObservation} carries them, each once
   * and in order: both lists start with {@code rw} or {@code ro}.
   */
  public String allOptions() {
    return String.join(",", optionList());
  }

  public List<String> optionList() {
    Set<String> all = new LinkedHashSet<>();
    for (String o : (mountOptions + "," + superOptions).split(",")) {
      if (!o.isEmpty()) all.add(o);
    }
    return new ArrayList<>(all);
  }
}
