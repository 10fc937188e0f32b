package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.walguard.core.Action;
import io.walguard.core.Verdict;
import io.walguard.storage.StorageClassification;
import java.util.List;
import java.util.function.Function;

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
    return fit(style -> line(kind, style.shorten(name), style.shorten(claim), verdict, style));
  }

  private static String line(String kind, String name, String claim, Verdict verdict, Style style) {
    StorageClassification s = verdict.storage();
    String storage = storage(s, style);
    String where;
    if ("PersistentVolumeClaim".equals(kind) && name.equals(claim)) {
      where = "PVC " + name + " uses " + storage;
    } else if ("SqliteDatabase".equals(kind) || style.compact()) {
      where = kindWord(kind) + " " + name + ": " + claim + " on " + storage;
    } else {
      where = kindWord(kind) + " " + name + " mounts " + claim + " on " + storage;
    }
    return switch (s.kind()) {
      case fuse -> where + ": FUSE breaks SQLite locks; move it to block storage";
      case unknown -> where + ": storage unknown; set walguard.io/storage or probe";
      default -> where + ": SQLite WAL across nodes corrupts; " + fix(verdict);
    };
  }

  private static String storage(StorageClassification s, Style style) {
    String kind = s.kind().name();
    String cls = s.storageClassName() == null || s.storageClassName().isEmpty() ? null
        : style.shortenClass(s.storageClassName());
    String driver = !style.driver() || s.driver() == null || s.driver().isEmpty() ? null
        : style.shortenClass(s.driver().startsWith("spec.") ? "in-tree " + s.driver().substring(5) : s.driver());
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
    return fit(style -> kindWord(kind) + " " + style.shorten(name) + " admitted unsafe by walguard.io/allow-unsafe: "
        + Text.clean(reason, 200));
  }

  /** A line for an object that concerns more databases than walguard checks in one admission. */
  public static String tooMany(String kind, String name, int checked) {
    return fit(style -> kindWord(kind) + " " + style.shorten(name) + " mounts more than " + checked
        + " SQLite claims; walguard checked the first " + checked);
  }

  /** A line for a request walguard could not judge (it is admitted: the webhook fails open). */
  public static String failedOpen(String kind, String name) {
    return fit(style -> "walguard could not check " + kindWord(kind) + " " + style.shorten(name)
        + " (internal error, see its log); admitted unchecked");
  }

  /**
   * How much a line gives up to fit.
   *
   * @param maxName object and claim names longer than this are cut, with {@code ...}
   * @param maxClass the same for the StorageClass (and driver) name, which the storage kind next to it explains
   * @param driver whether the storage names its driver next to its class
   * @param compact {@code Deployment web: data on ...} instead of {@code Deployment web mounts data on ...}
   */
  private record Style(int maxName, int maxClass, boolean driver, boolean compact) {
    String shorten(String s) {
      return shortName(s, maxName);
    }

    String shortenClass(String s) {
      return shortName(s, maxClass);
    }
  }

  /** The driver goes first, then words, then the class name's length, then names' length. The fix is never cut. */
  private static final List<Style> STYLES = List.of(
      new Style(Integer.MAX_VALUE, Integer.MAX_VALUE, true, false),
      new Style(Integer.MAX_VALUE, Integer.MAX_VALUE, false, false),
      new Style(Integer.MAX_VALUE, Integer.MAX_VALUE, false, true),
      new Style(Integer.MAX_VALUE, 12, false, true),
      new Style(SHORT_NAME, 12, false, true),
      new Style(16, 9, false, true),
      new Style(12, 9, false, true),
      new Style(9, 7, false, true),
      new Style(7, 7, false, true));

  /** The first style whose line fits; what still does not fit (only a free-text reason can) is cut. */
  private static String fit(Function<Style, String> build) {
    String line = "";
    for (Style style : STYLES) {
      line = Text.clean(build.apply(style), Integer.MAX_VALUE);
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
