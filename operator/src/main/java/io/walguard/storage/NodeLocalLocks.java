package io.walguard.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Mount options that make POSIX locks node-local: then SQLite's locks on a shared filesystem only exclude processes
 * of the same node, and a rollback journal is no safer across nodes than WAL.
 *
 * <ul>
 *   <li>NFS {@code nolock}, {@code local_lock=all} and {@code local_lock=posix}: options of NFS versions 2 and 3
 *       only (NLM locking); NFS v4 carries locks in the protocol and ignores them. When no version is given the
 *       client negotiates one and may settle on v3, so the option is taken to apply: assuming node-local locks
 *       only costs the journal remedy, while wrongly trusting them corrupts the database.
 *   <li>SMB {@code nobrl}: byte-range locks are not sent to the server.
 *   <li>Lustre {@code localflock}: flock and fcntl locks are coherent on this client only.
 * </ul>
 */
final class NodeLocalLocks {

  /** Options from one place, e.g. {@code PV pv-1: spec.mountOptions}. */
  record Source(String label, List<String> options) {

    /** Options as Kubernetes lists them: each item may itself hold several, separated by commas. */
    static Source of(String label, List<String> items) {
      List<String> options = new ArrayList<>();
      if (items != null) {
        for (String item : items) {
          if (item != null) {
            Arrays.stream(item.split(",")).map(String::trim).filter(o -> !o.isEmpty()).forEach(options::add);
          }
        }
      }
      return new Source(label, options);
    }

    static Source of(String label, String commaSeparated) {
      return of(label, commaSeparated == null ? List.of() : List.of(commaSeparated));
    }
  }

  record Result(boolean nodeLocal, String evidence) {
    static final Result NONE = new Result(false, null);
  }

  private NodeLocalLocks() {}

  /**
   * @param sources where mount options were found, in the order they are reported
   * @param nfsVersionHint the NFS major version known from elsewhere (a probe's fstype {@code nfs4} or
   *     {@code nfs}), or null
   */
  static Result find(List<Source> sources, String nfsVersionHint) {
    Set<String> versions = new LinkedHashSet<>();
    if (nfsVersionHint != null) {
      versions.add(nfsVersionHint);
    }
    List<String> nfsFindings = new ArrayList<>();
    List<String> findings = new ArrayList<>();
    for (Source source : sources) {
      String nolock = null;
      String localLock = null;
      for (String option : source.options()) {
        String lower = option.toLowerCase(Locale.ROOT);
        String value = lower.contains("=") ? lower.substring(lower.indexOf('=') + 1) : "";
        if (lower.equals("nolock")) {
          nolock = option;
        } else if (lower.equals("lock")) {
          nolock = null;
        } else if (lower.startsWith("local_lock=")) {
          localLock = value.equals("all") || value.equals("posix") ? option : null;
        } else if (lower.startsWith("nfsvers=") || lower.startsWith("vers=")) {
          versions.add(major(value));
        } else if (lower.matches("v[234](\\.\\d+)?")) {
          versions.add(major(lower.substring(1)));
        } else if (lower.equals("nobrl")) {
          findings.add("mount option " + option + " (" + source.label() + "): SMB byte-range locks stay on the node");
        } else if (lower.equals("localflock")) {
          findings.add("mount option " + option + " (" + source.label() + "): Lustre locks are coherent on one node"
              + " only");
        }
      }
      for (String option : new String[] {nolock, localLock}) {
        if (option != null) {
          nfsFindings.add("mount option " + option + " (" + source.label() + ")");
        }
      }
    }
    if (!nfsFindings.isEmpty()) {
      boolean v2or3 = versions.contains("2") || versions.contains("3");
      if (versions.isEmpty()) {
        findings.add(0, String.join(", ", nfsFindings) + ": no NFS version is given and the client may settle on"
            + " v3, where NFS locks then stay on the node, so walguard assumes they do");
      } else if (v2or3) {
        findings.add(0, String.join(", ", nfsFindings) + " with NFS v" + String.join("/v", versions)
            + ": NFS locks stay on the node");
      }
    }
    return findings.isEmpty() ? Result.NONE : new Result(true, String.join("; ", findings));
  }

  private static String major(String version) {
    int dot = version.indexOf('.');
    return dot < 0 ? version : version.substring(0, dot);
  }
}
