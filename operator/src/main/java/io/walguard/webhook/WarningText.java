package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.core.Action;
import io.walguard.core.Verdict;
import io.walguard.storage.StorageClassification;
import java.util.function.UnaryOperator;

/**
 * Admission warnings: one line each, under {@value #MAX_LENGTH} characters, naming the object, the storage and the
 * fix, e.g. {@code PVC data uses efs-sc (efs.csi.aws.com, network): SQLite WAL across nodes corrupts; pin or use
 * journal mode}. Names that would push a line over the limit are shortened, never the fix.
 */
public final class WarningText {

  /** Kubernetes shows warnings on one terminal line; longer ones are cut by kubectl or the API server. */
  public static final int MAX_LENGTH = 119;
  private static final int SHORT_NAME = 24;

  private WarningText() {}

  static String kindWord(String kind) {
    return "PersistentVolumeClaim".equals(kind) ? "PVC" : kind;
  }

  static String nameOf(HasMetadata object) {
    if (object == null || object.getMetadata() == null) {
      return "(unnamed)";
    }
    String name = object.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      String prefix = object.getMetadata().getGenerateName();
      return prefix == null || prefix.isEmpty() ? "(unnamed)" : prefix + "*";
    }
    return name;
  }

  /**
   * The warning for one database the admitted object concerns.
   *
   * @param kind the admitted object's kind
   * @param name its name
   * @param claim the database's claim
   * @param verdict the decision core's verdict on the database with the object admitted
   */
  public static String finding(String kind, String name, String claim, Verdict verdict) {
    return fit(shorten -> line(kind, shorten.apply(name), shorten.apply(claim), verdict, shorten));
  }

  private static String line(String kind, String name, String claim, Verdict verdict, UnaryOperator<String> shorten) {
    StorageClassification s = verdict.storage();
    String storage = storage(s, shorten);
    String where;
    if ("PersistentVolumeClaim".equals(kind) && name.equals(claim)) {
      where = "PVC " + name + " uses " + storage;
    } else if ("SqliteDatabase".equals(kind)) {
      where = "SqliteDatabase " + name + ": " + claim + " on " + storage;
    } else {
      where = kindWord(kind) + " " + name + " mounts " + claim + " on " + storage;
    }
    return switch (s.kind()) {
      case fuse -> where + ": FUSE breaks SQLite locks and mmap; move the database to block storage";
      case unknown -> where + ": storage unknown to walguard; set walguard.io/storage or run a probe";
      default -> where + ": SQLite WAL across nodes corrupts; " + fix(verdict);
    };
  }

  private static String storage(StorageClassification s, UnaryOperator<String> shorten) {
    String kind = s.kind().name();
    String cls = s.storageClassName() == null || s.storageClassName().isEmpty() ? null : shorten.apply(s.storageClassName());
    String driver = s.driver() == null || s.driver().isEmpty() ? null : shorten.apply(s.driver());
    if (cls != null) {
      return cls + " (" + (driver == null ? "" : driver + ", ") + kind + ")";
    }
    return driver == null ? kind + " storage" : driver + " (" + kind + ")";
  }

  /** The remedy in a few words, from the verdict's action. */
  static String fix(Verdict verdict) {
    if (verdict.action() == Action.pin) {
      return "pin its pods to one node";
    }
    if (verdict.action() == Action.journal) {
      return "use journal mode (DELETE)";
    }
    boolean canPin = verdict.placement() != null && verdict.placement().allPinnable();
    if (canPin) {
      return "pin or use journal mode";
    }
    return verdict.storage().nodeLocalLocks() ? "run one opener or use block storage" : "use journal mode (DELETE)";
  }

  /** A line about an object let through by {@code walguard.io/allow-unsafe}. */
  public static String overridden(String kind, String name, String reason) {
    return fit(shorten -> kindWord(kind) + " " + shorten.apply(name) + " admitted unsafe by walguard.io/allow-unsafe: "
        + Text.clean(reason, 200));
  }

  /** A line for a request walguard could not judge (it is admitted: the webhook fails open). */
  public static String failedOpen(String kind, String name) {
    return fit(shorten -> "walguard could not check " + kindWord(kind) + " " + shorten.apply(name)
        + " (internal error, see its log); admitted unchecked");
  }

  /**
   * Builds a line with full names, then with names shortened, and cuts what is still too long (only a free-text
   * reason can be).
   */
  private static String fit(java.util.function.Function<UnaryOperator<String>, String> build) {
    String line = Text.clean(build.apply(UnaryOperator.identity()), Integer.MAX_VALUE);
    if (line.length() <= MAX_LENGTH) {
      return line;
    }
    line = Text.clean(build.apply(WarningText::shortName), Integer.MAX_VALUE);
    if (line.length() <= MAX_LENGTH) {
      return line;
    }
    return Text.clean(line, MAX_LENGTH - 3) + "...";
  }

  static String shortName(String s) {
    if (s == null || s.length() <= SHORT_NAME) {
      return s;
    }
    return s.substring(0, SHORT_NAME - 3) + "...";
  }
}
