package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.core.Action;
import io.walguard.core.Verdict;
import io.walguard.storage.StorageClassification;
import java.util.function.BiFunction;
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
    return fit((shorten, withDriver) -> line(kind, shorten.apply(name), shorten.apply(claim), verdict, shorten,
        withDriver));
  }

  private static String line(String kind, String name, String claim, Verdict verdict, UnaryOperator<String> shorten,
      boolean withDriver) {
    StorageClassification s = verdict.storage();
    String storage = storage(s, shorten, withDriver);
    String where;
    if ("PersistentVolumeClaim".equals(kind) && name.equals(claim)) {
      where = "PVC " + name + " uses " + storage;
    } else if ("SqliteDatabase".equals(kind)) {
      where = "SqliteDatabase " + name + ": " + claim + " on " + storage;
    } else {
      where = kindWord(kind) + " " + name + " mounts " + claim + " on " + storage;
    }
    return switch (s.kind()) {
      case fuse -> where + ": FUSE breaks SQLite locks; move it to block storage";
      case unknown -> where + ": storage unknown; set walguard.io/storage or probe";
      default -> where + ": SQLite WAL across nodes corrupts; " + fix(verdict);
    };
  }

  private static String storage(StorageClassification s, UnaryOperator<String> shorten, boolean withDriver) {
    String kind = s.kind().name();
    String cls = s.storageClassName() == null || s.storageClassName().isEmpty() ? null
        : shorten.apply(s.storageClassName());
    String driver = !withDriver || s.driver() == null || s.driver().isEmpty() ? null : shorten.apply(s.driver());
    if (cls != null) {
      return cls + " (" + (driver == null ? "" : driver + ", ") + kind + ")";
    }
    return driver == null ? kind + " storage" : driver + " (" + kind + ")";
  }

  /** The remedy in a few words, from the verdict's action. */
  static String fix(Verdict verdict) {
    if (verdict.action() == Action.pin) {
      return "pin to one node";
    }
    if (verdict.action() == Action.journal) {
      return "use journal mode";
    }
    boolean canPin = verdict.placement() != null && verdict.placement().allPinnable();
    if (canPin) {
      return "pin or use journal mode";
    }
    return verdict.storage().nodeLocalLocks() ? "use one opener or block storage" : "use journal mode";
  }

  /** A line about an object let through by {@code walguard.io/allow-unsafe}. */
  public static String overridden(String kind, String name, String reason) {
    return fit((shorten, withDriver) -> kindWord(kind) + " " + shorten.apply(name)
        + " admitted unsafe by walguard.io/allow-unsafe: " + Text.clean(reason, 200));
  }

  /** A line for a request walguard could not judge (it is admitted: the webhook fails open). */
  public static String failedOpen(String kind, String name) {
    return fit((shorten, withDriver) -> "walguard could not check " + kindWord(kind) + " " + shorten.apply(name)
        + " (internal error, see its log); admitted unchecked");
  }

  /**
   * Builds a line with full names; then with names shortened, the driver left out, and names shortened further;
   * and cuts what is still too long (only a free-text reason can be). The fix is never what gets cut.
   */
  private static String fit(BiFunction<UnaryOperator<String>, Boolean, String> build) {
    String line = Text.clean(build.apply(UnaryOperator.identity(), true), Integer.MAX_VALUE);
    if (line.length() <= MAX_LENGTH) {
      return line;
    }
    int[] maxima = {SHORT_NAME, SHORT_NAME, 16, 12, 9, 7};
    for (int i = 0; i < maxima.length; i++) {
      int max = maxima[i];
      line = Text.clean(build.apply(s -> shortName(s, max), i == 0), Integer.MAX_VALUE);
      if (line.length() <= MAX_LENGTH) {
        return line;
      }
    }
    return Text.clean(line, MAX_LENGTH - 3) + "...";
  }

  static String shortName(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 3) + "...";
  }
}
