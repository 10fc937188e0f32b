package io.walguard.compose;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code o:} of a {@code local} volume's driver_opts, read like the mount options they are handed to
 * ({@code addr=10.0.0.5,nolock,vers=3}); a later option wins over an earlier one, as in mount(8).
 */
final class MountOptions {

  private final Map<String, String> options = new LinkedHashMap<>();

  MountOptions(String o) {
    if (o == null) {
      return;
    }
    for (String option : o.split(",")) {
      String trimmed = option.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : trimmed.substring(eq + 1);
      if (key.equals("lock")) {
        options.remove("nolock");
      }
      options.remove(key);
      options.put(key, value);
    }
  }

  boolean has(String key) {
    return options.containsKey(key);
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /**
   * Whether these options make POSIX locks node-local, and which option does. For NFS, {@code nolock} and
   * {@code local_lock=all|posix} apply to versions 2 and 3 only (the kernel drops them for NFS v4, where locks are part
   * of the protocol); the version is {@code vers=}/{@code nfsvers=}, else 4 for type {@code nfs4}, else 3, the
   * kernel's default when Docker calls mount(2) with type {@code nfs}. For SMB, {@code nobrl}.
   */
  NodeLocalLocks nodeLocalLocks(String locks, String type) {
    if ("smb".equals(locks)) {
      return has("nobrl") ? NodeLocalLocks.of("o nobrl") : NodeLocalLocks.NONE;
    }
    if (!"nfs".equals(locks)) {
      return NodeLocalLocks.NONE;
    }
    String version = get("vers").or(() -> get("nfsvers")).orElse("nfs4".equals(type) ? "4" : "3");
    String option = has("nolock") ? "nolock"
        : get("local_lock").filter(v -> v.equals("all") || v.equals("posix")).map(v -> "local_lock=" + v)
            .orElse(null);
    if (option == null) {
      return NodeLocalLocks.NONE;
    }
    if (version.startsWith("4")) {
      return new NodeLocalLocks(null, "o " + option + " does not apply to NFS v" + version);
    }
    return NodeLocalLocks.of("o " + option);
  }

  /**
   * @param evidence the option that makes locks node-local, or null when locks are shared
   * @param ignored an option that looks like it would but does not apply, for the evidence; or null
   */
  record NodeLocalLocks(String evidence, String ignored) {
    static final NodeLocalLocks NONE = new NodeLocalLocks(null, null);

    static NodeLocalLocks of(String evidence) {
      return new NodeLocalLocks(evidence, null);
    }

    boolean nodeLocal() {
      return evidence != null;
    }
  }
}
