package io.walguard.core;

import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.apps.AppProfile;
import io.walguard.apps.AppProfiles;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.PlacementAnalyzer;
import io.walguard.storage.DriverTable;
import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The decision core: storage and placement in, a {@link Verdict} out (DESIGN.md sections 6 and 8).
 *
 * <p>Pure: no client, no clock, no I/O. The audit CLI, the reconciler and the webhook all call {@link #decide}, and
 * the Compose audit calls {@link #judge} with facts it gathered itself, so no two doors can disagree.
 */
public final class Policy {

  private static final Set<String> ROLLBACK_MODES = Set.of("delete", "truncate", "persist");

  private final StorageClassifier classifier;
  private final PlacementAnalyzer analyzer;
  private final AppProfiles apps;

  public Policy(StorageClassifier classifier, PlacementAnalyzer analyzer, AppProfiles apps) {
    this.classifier = classifier;
    this.analyzer = analyzer;
    this.apps = apps;
  }

  /** The policy with walguard's own driver table and app profiles. */
  public static Policy standard() {
    return withDrivers(DriverTable.builtIn());
  }

  public static Policy withDrivers(DriverTable drivers) {
    return new Policy(new StorageClassifier(drivers), new PlacementAnalyzer(), AppProfiles.builtIn());
  }

  public AppProfiles apps() {
    return apps;
  }

  public Verdict decide(Facts facts, SqliteDatabase database) {
    StorageClassification storage = classifier.classify(facts, database);
    Placement placement = analyzer.analyze(facts, database);
    return judge(storage, placement, Options.of(database, facts, apps));
  }

  /**
   * What the database's spec and surroundings say about the remedy, beyond storage and placement.
   *
   * @param optedIn for a SqliteDatabase walguard creates for a claim opted in with {@code walguard.io/sqlite}, its
   *     namespace and name ({@code apps/data}): the words then say how to adopt a remedy
   */
  public record Options(Remedy remedy, boolean paused, Optional<String> observedJournalMode,
      Optional<AppProfile> app, Platform platform, Optional<String> optedIn) {

    public Options(Remedy remedy, boolean paused, Optional<String> observedJournalMode, Optional<AppProfile> app,
        Platform platform) {
      this(remedy, paused, observedJournalMode, app, platform, Optional.empty());
    }

    public static Options of(SqliteDatabase database, Facts facts, AppProfiles apps) {
      var spec = database.getSpec();
      Remedy remedy = spec == null || spec.getRemedy() == null ? Remedy.auto : spec.getRemedy();
      var metadata = database.getMetadata();
      var annotations = metadata == null ? null : metadata.getAnnotations();
      boolean paused = annotations != null && "true".equalsIgnoreCase(annotations.get(Annotations.PAUSED));
      Optional<AppProfile> app = spec == null ? Optional.empty() : apps.find(spec.getApp());
      var labels = metadata == null ? null : metadata.getLabels();
      boolean optedIn = labels != null && Annotations.MANAGER.equals(labels.get(Annotations.MANAGED_BY))
          && labels.containsKey(Annotations.DATABASE);
      return new Options(remedy, paused, facts.observedJournalMode(database), app, Platform.KUBERNETES,
          optedIn ? Optional.of(metadata.getNamespace() + "/" + metadata.getName()) : Optional.empty());
    }

    public static Options kubernetes(Remedy remedy) {
      return new Options(remedy, false, Optional.empty(), Optional.empty(), Platform.KUBERNETES);
    }
  }

  /** Where the openers run: the words of the remedy differ, the rules do not. */
  public enum Platform {
    KUBERNETES("pin every opener to one node with a required node affinity",
        "move the database to a rollback journal (journal_mode=DELETE)",
        "walguard will ",
        "remedy auto: ",
        "walguard cannot tell what backs this claim; set spec.storage, annotate the StorageClass or PV with"
            + " walguard.io/storage: local|network|fuse, add the driver to the driver table, or annotate the"
            + " SqliteDatabase walguard.io/probe: \"true\" to probe the mount"),
    COMPOSE("pin every service to one node with a placement constraint (node.hostname == X)",
        "set the application to a rollback journal",
        "",
        "fix: ",
        "walguard cannot tell what backs this volume; set storage: local|network|fuse for it under x-walguard"
            + " databases (the only way for an external volume), or label the volume walguard.io/storage");

    final String pinWords;
    final String journalWords;
    /** How a remedy is announced: the operator applies it; for Compose files the words are the fix to make. */
    final String will;
    /** What the remedy walguard picks by itself is called: {@code remedy: auto} is a SqliteDatabase field. */
    final String autoWords;
    final String unknownWords;

    Platform(String pinWords, String journalWords, String will, String autoWords, String unknownWords) {
      this.pinWords = pinWords;
      this.journalWords = journalWords;
      this.will = will;
      this.autoWords = autoWords;
      this.unknownWords = unknownWords;
    }
  }

  /** How to resolve unknown storage for a claim opted in by annotation, whose SqliteDatabase walguard creates. */
  private static String unknownOptedInWords(String database) {
    return "walguard cannot tell what backs this claim; annotate the StorageClass or PV with walguard.io/storage:"
        + " local|network|fuse, add the driver to the driver table, or, on the SqliteDatabase " + database
        + " walguard creates for the annotation " + Annotations.SQLITE + " (or on one you write for the claim), set"
        + " spec.storage or annotate it walguard.io/probe: \"true\" to probe the mount";
  }

  /** The decision table itself. */
  public static Verdict judge(StorageClassification storage, Placement placement, Options options) {
    List<String> reasons = new ArrayList<>();
    String where = "storage " + storage.kind() + " (" + storage.evidence() + ")";
    return switch (storage.kind()) {
      case local -> {
        reasons.add(where + ": one kernel at a time, so every opener shares the -shm mapping; WAL is safe");
        yield new Verdict(Safety.safe, Action.none, storage, placement, reasons);
      }
      case fuse -> {
        reasons.add(where + ": FUSE does not give SQLite trustworthy POSIX locks or shared mmap;"
            + " a rollback journal does not make it safe either: move the database to a block volume");
        yield new Verdict(Safety.unsafe, Action.observe, storage, placement, reasons);
      }
      case unknown -> {
        reasons.add(where + ": " + options.optedIn().map(Policy::unknownOptedInWords)
            .orElse(options.platform().unknownWords));
        reasons.addAll(placement.reasons());
        yield new Verdict(Safety.unknown, Action.observe, storage, placement, reasons);
      }
      case network -> network(storage, placement, options, where, reasons);
    };
  }

  private static Verdict network(StorageClassification storage, Placement placement, Options options, String where,
      List<String> reasons) {
    if (placement.singlePodAccess()) {
      reasons.add(where + ": the claim is ReadWriteOncePod, so only one pod in the cluster can open it; WAL is safe");
      reasons.addAll(placement.reasons());
      return new Verdict(Safety.safe, Action.none, storage, placement, reasons);
    }
    reasons.addAll(placement.reasons());
    if (!placement.severalNodes() && placement.openers().isEmpty()) {
      // Nothing opens it, so nothing can corrupt it; the verdict must not read as a promise about future openers.
      reasons.add(where + ": no opener is known yet, so nothing opens the database on two nodes today; it becomes"
          + " unsafe the moment openers on two nodes mount it (a second replica, a rollout that surges, a"
          + " DaemonSet)");
      return new Verdict(Safety.safe, Action.none, storage, placement, reasons);
    }
    if (!placement.severalNodes()) {
      reasons.add(where + ": every opener stays on one node, so they share one kernel; WAL is safe");
      Action kept = placement.pinnedByWalguard() ? Action.pin : Action.none;
      return new Verdict(Safety.safe, kept, storage, placement, reasons);
    }

    boolean appForcesWal = options.app().map(AppProfile::forcesWal).orElse(false);
    boolean journalObserved = options.observedJournalMode()
        .map(m -> ROLLBACK_MODES.contains(m.toLowerCase(Locale.ROOT))).orElse(false);
    if (journalObserved && !storage.nodeLocalLocks() && !appForcesWal) {
      reasons.add(where + ": the database uses a rollback journal (" + options.observedJournalMode().get()
          + "), which relies on the filesystem's POSIX locks rather than on shared memory; safe as far as those"
          + " locks are");
      return new Verdict(Safety.safe, Action.journal, storage, placement, reasons);
    }
    if (journalObserved) {
      reasons.add("the database uses a rollback journal (" + options.observedJournalMode().get() + "), but "
          + (storage.nodeLocalLocks()
              ? "locks on this volume are node-local (" + storage.lockEvidenceText().orElse("mount options")
                  + "), so it is not safe across nodes either"
              : "app " + options.app().get().name() + " switches WAL back on at its next start"));
    }

    reasons.add(where + ": openers can run on several nodes, and SQLite WAL across kernels corrupts silently");
    Action action = remedy(storage, placement, options, appForcesWal, reasons);
    return new Verdict(Safety.unsafe, action, storage, placement, reasons);
  }

  private static Action remedy(StorageClassification storage, Placement placement, Options options,
      boolean appForcesWal, List<String> reasons) {
    List<String> unpinnable = placement.openers().stream().filter(o -> !o.pinnable()).map(Opener::ref).toList();
    boolean canPin = placement.allPinnable() && unpinnable.isEmpty() && !placement.openers().isEmpty();
    String whyNoJournal = null;
    if (storage.nodeLocalLocks()) {
      whyNoJournal = "locks on this volume are node-local (" + storage.lockEvidenceText().orElse("mount options")
          + "), so a rollback journal is not safe across nodes either";
    } else if (appForcesWal) {
      whyNoJournal = "app " + options.app().get().name() + " switches WAL back on at every start and has no setting"
          + " to stop it, so a rollback journal would not stick";
    }
    String whyNoPin = canPin ? null : whyNoPin(placement, unpinnable);

    if (options.remedy() == Remedy.none && options.optedIn().isPresent()) {
      reasons.add(optedInWords(options.optedIn().get(), canPin, whyNoPin, whyNoJournal, options));
      return Action.observe;
    }
    if (options.remedy() == Remedy.none) {
      reasons.add("remedy is none: walguard only reports; to fix it, " + suggestion(canPin, whyNoJournal, options));
      return Action.observe;
    }
    if (options.paused()) {
      reasons.add("the SqliteDatabase is paused (walguard.io/paused): walguard changes nothing; to fix it, "
          + suggestion(canPin, whyNoJournal, options));
      return Action.observe;
    }
    switch (options.remedy()) {
      case pin -> {
        if (canPin) {
          reasons.add("remedy pin: " + options.platform().will + options.platform().pinWords);
          return Action.pin;
        }
        reasons.add("remedy pin is not possible: " + whyNoPin
            + (whyNoJournal == null ? "; use remedy journal or auto" : "; " + whyNoJournal));
        return Action.observe;
      }
      case journal -> {
        if (whyNoJournal == null) {
          reasons.add("remedy journal: " + options.platform().will + options.platform().journalWords);
          return Action.journal;
        }
        if (canPin) {
          reasons.add("remedy journal is not enough: " + whyNoJournal + "; " + options.platform().will
              + options.platform().pinWords + " instead");
          return Action.pin;
        }
        reasons.add("remedy journal is not enough: " + whyNoJournal + ", and " + whyNoPin
            + "; nothing walguard can change makes this safe: run a single opener or move to a block volume");
        return Action.observe;
      }
      default -> {
        if (canPin) {
          reasons.add(options.platform().autoWords + options.platform().will + options.platform().pinWords);
          return Action.pin;
        }
        if (whyNoJournal == null) {
          reasons.add(options.platform().autoWords + whyNoPin + ", so " + options.platform().will
              + options.platform().journalWords);
          return Action.journal;
        }
        reasons.add(whyNoPin + ", and " + whyNoJournal
            + "; nothing walguard can change makes this safe: run a single opener or move to a block volume");
        return Action.observe;
      }
    }
  }

  /**
   * Why the openers cannot all be pinned: some cannot be pinned at all (a DaemonSet), or they are held on different
   * nodes by what walguard does not change (bare Pods, which cannot be patched, and node constraints the user wrote).
   */
  private static String whyNoPin(Placement placement, List<String> unpinnable) {
    if (!unpinnable.isEmpty()) {
      return String.join(", ", unpinnable) + " cannot be pinned to one node";
    }
    if (placement.openers().isEmpty()) {
      return "no opener is known, so there is nothing to pin";
    }
    List<String> held = placement.openers().stream()
        .filter(o -> (o.pinnedNode() != null && !o.walguardPinned()) || "Pod".equals(o.kind()))
        .map(o -> o.ref() + (o.pinnedNode() == null ? " (not scheduled yet)" : " on " + o.pinnedNode()))
        .toList();
    return String.join(", ", held) + " are held on different nodes by what walguard does not change, so they"
        + " cannot be pinned to one node";
  }

  /**
   * A claim opted in with the annotation gets a SqliteDatabase with remedy none, so nothing changes until a person
   * adopts a remedy: the words say what remedy auto would do, and where to set it.
   */
  private static String optedInWords(String database, boolean canPin, String whyNoPin, String whyNoJournal,
      Options options) {
    String head = "the claim is opted in with " + Annotations.SQLITE + ", and the SqliteDatabase " + database
        + " walguard creates for it has remedy none, so walguard only reports; ";
    if (!canPin && whyNoJournal != null) {
      return head + "remedy auto would not make it safe either (" + whyNoPin + ", and " + whyNoJournal + "): run a"
          + " single opener or move the database to a block volume";
    }
    String auto = canPin ? options.platform().pinWords : options.platform().journalWords + ", as " + whyNoPin;
    int slash = database.indexOf('/');
    return head + "remedy auto would " + auto + ": to adopt it, set spec.remedy: auto on that SqliteDatabase"
        + " (kubectl edit sqlitedb -n " + database.substring(0, slash) + " " + database.substring(slash + 1)
        + "), or write your own SqliteDatabase for the claim";
  }

  private static String suggestion(boolean canPin, String whyNoJournal, Options options) {
    if (canPin) {
      return options.platform().pinWords + " (remedy: pin or auto)";
    }
    if (whyNoJournal == null) {
      return options.platform().journalWords + " (remedy: journal or auto)";
    }
    return "run a single opener or move the database to a block volume";
  }
}
