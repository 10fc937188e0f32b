package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.walguard.api.CheckpointResult;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.core.Action;
import io.walguard.core.Annotations;
import io.walguard.core.Safety;
import io.walguard.core.Verdict;
import io.walguard.jobs.CheckpointHealth;
import io.walguard.placement.RunningPod;
import io.walguard.storage.StorageKind;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the status of DESIGN.md section 8 from an {@link Assessment}: the verdict, where the openers are, and the
 * conditions StorageSafe, Placement, JournalMode, Checkpoint and Ready, each with a CamelCase reason and a message
 * that names the objects and what to change. A condition's lastTransitionTime moves only when its status does; fields
 * other parts of walguard write (journalMode, lastCheckpoint) are carried over.
 */
final class StatusComposer {

  static final String STORAGE_SAFE = "StorageSafe";
  static final String PLACEMENT = "Placement";
  static final String JOURNAL_MODE = "JournalMode";
  static final String CHECKPOINT = "Checkpoint";
  static final String READY = "Ready";
  static final List<String> TYPES = List.of(STORAGE_SAFE, PLACEMENT, JOURNAL_MODE, CHECKPOINT, READY);
  private static final Set<String> ROLLBACK = Set.of("delete", "truncate", "persist");
  static final String OPENERS_UNSCHEDULABLE = "OpenersUnschedulable";
  static final String PIN_REVERTED = "PinReverted";

  private StatusComposer() {}

  static SqliteDatabaseStatus compose(Assessment a, SqliteDatabaseStatus previous, Instant now) {
    SqliteDatabase db = a.database();
    SqliteDatabaseStatus s = new SqliteDatabaseStatus();
    Long generation = db.getMetadata().getGeneration();
    s.setObservedGeneration(generation);
    if (previous != null) {
      s.setJournalMode(previous.getJournalMode());
      s.setLastCheckpoint(previous.getLastCheckpoint());
    }
    List<String> reasons = new ArrayList<>();
    a.verdict().ifPresent(v -> {
      s.setStorage(new SqliteDatabaseStatus.StorageStatus(v.storage().kind().name(), v.storage().evidence()));
      s.setVerdict(v.safety().name());
      s.setAction(v.action().name());
      reasons.addAll(v.reasons());
    });
    s.setNodes(a.nodes());
    s.setPinnedNode(a.pinnedNode().orElseGet(() -> existingPin(a)));
    if (!a.claimFound()) {
      reasons.add(0, claimMissing(db));
    }
    if (a.decisionError() != null) {
      reasons.add(a.decisionError());
    }
    a.pin().ifPresent(p -> {
      if (p.choice().node().isEmpty()) {
        reasons.add("walguard cannot pin yet: " + p.choice().source());
      }
      reasons.addAll(p.notes());
      reasons.addAll(p.errors());
      reasons.addAll(p.reverted());
    });
    if (a.fileUnknown()) {
      reasons.add(fileUnknown(db));
    }
    s.setReasons(reasons);

    List<Condition> desired = List.of(storageSafe(a), placement(a), journalMode(a, s.getJournalMode()),
        checkpoint(a, s.getLastCheckpoint()), ready(a));
    s.setConditions(merge(previous == null ? List.of() : previous.getConditions(), desired, generation, now));
    return s;
  }

  /** Keeps the previous lastTransitionTime of a condition whose status did not change; keeps foreign conditions. */
  static List<Condition> merge(List<Condition> previous, List<Condition> desired, Long generation, Instant now) {
    Map<String, Condition> before = new LinkedHashMap<>();
    if (previous != null) {
      previous.forEach(c -> before.put(c.getType(), c));
    }
    String stamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<Condition> merged = new ArrayList<>();
    for (Condition c : desired) {
      Condition old = before.remove(c.getType());
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(old != null && Objects.equals(old.getStatus(), c.getStatus())
          && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : stamp);
      merged.add(c);
    }
    merged.addAll(before.values());
    return merged;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  // ---- StorageSafe ---------------------------------------------------------------------------------------------

  private static Condition storageSafe(Assessment a) {
    if (!a.claimFound()) {
      return condition(STORAGE_SAFE, "Unknown", "ClaimNotFound", claimMissing(a.database()));
    }
    if (a.verdict().isEmpty()) {
      return condition(STORAGE_SAFE, "Unknown", "DecisionFailed", a.decisionError());
    }
    Verdict v = a.verdict().get();
    String evidence = "storage " + v.storage().kind() + " (" + v.storage().evidence() + ")";
    return switch (v.storage().kind()) {
      case local -> condition(STORAGE_SAFE, "True", "LocalStorage",
          evidence + ": one kernel at a time sees the volume, so every opener shares the -shm mapping");
      case fuse -> condition(STORAGE_SAFE, "False", "FuseStorage", evidence
          + ": FUSE gives SQLite no trustworthy POSIX locks or shared mmap, in WAL or journal mode; move the database"
          + " to a block or network volume");
      case unknown -> condition(STORAGE_SAFE, "Unknown", "StorageUnknown", evidence
          + ": set spec.storage, annotate the StorageClass or PV walguard.io/storage: local|network|fuse, or annotate"
          + " this SqliteDatabase walguard.io/probe: \"true\"");
      case network -> network(v, evidence);
    };
  }

  private static Condition network(Verdict v, String evidence) {
    if (v.placement().singlePodAccess()) {
      return condition(STORAGE_SAFE, "True", "SinglePodAccess",
          evidence + ": the claim is ReadWriteOncePod, so one pod in the cluster opens it");
    }
    if (v.safety() == Safety.safe && v.action() == Action.journal) {
      return condition(STORAGE_SAFE, "True", "RollbackJournal",
          evidence + ": the database uses a rollback journal, which relies on the filesystem's locks, not on shared"
              + " memory");
    }
    if (v.safety() == Safety.safe && v.placement().openers().isEmpty()) {
      return condition(STORAGE_SAFE, "True", "NoOpenerYet", evidence + ": no workload mounts the claim yet; it"
          + " becomes unsafe the moment openers on two nodes mount it");
    }
    if (v.safety() == Safety.safe) {
      return condition(STORAGE_SAFE, "True", "NetworkStorageOnOneNode",
          evidence + ": every opener stays on one node, so they share one kernel"
              + (v.action() == Action.pin ? " (walguard keeps them pinned)" : ""));
    }
    return condition(STORAGE_SAFE, "False", "NetworkStorageSharedAcrossNodes", evidence
        + ": openers can run on several nodes at once and SQLite WAL across kernels corrupts silently. "
        + String.join("; ", v.placement().reasons()));
  }

  // ---- Placement -----------------------------------------------------------------------------------------------

  private static Condition placement(Assessment a) {
    if (!a.claimFound()) {
      return condition(PLACEMENT, "Unknown", "ClaimNotFound", claimMissing(a.database()));
    }
    if (a.verdict().isEmpty()) {
      return condition(PLACEMENT, "Unknown", "DecisionFailed", a.decisionError());
    }
    Verdict v = a.verdict().get();
    if (v.storage().kind() == StorageKind.local || v.placement().singlePodAccess()) {
      return condition(PLACEMENT, "True", "NotRequired",
          "the volume is visible to one kernel (or one pod) at a time, so where the openers run does not matter");
    }
    List<String> errors = a.pin().map(Pinner.Report::errors).orElse(List.of());
    if (!errors.isEmpty()) {
      return condition(PLACEMENT, "False", "PinFailed", String.join("; ", errors));
    }
    List<String> reverted = a.pin().map(Pinner.Report::reverted).orElse(List.of());
    if (!reverted.isEmpty()) {
      return condition(PLACEMENT, "False", PIN_REVERTED, String.join("; ", reverted));
    }
    List<RunningPod> running = v.placement().running();
    List<String> nodes = a.nodes();
    if (nodes.size() > 1) {
      String pods = running.stream().filter(p -> p.node() != null)
          .sorted((x, y) -> x.name().compareTo(y.name()))
          .map(p -> p.name() + " on " + p.node()).collect(Collectors.joining(", "));
      return condition(PLACEMENT, "False", "OpenersOnSeveralNodes", "pods " + pods + " open the database from "
          + nodes.size() + " nodes; " + severalNodesAdvice(a));
    }
    if (!v.placement().unschedulable().isEmpty()) {
      return condition(PLACEMENT, "False", OPENERS_UNSCHEDULABLE, unschedulable(a));
    }
    if (v.action() == Action.pin && a.pinnedNode().isEmpty() && a.pin().isPresent()) {
      return condition(PLACEMENT, "False", "NodeNotChosen", a.pin().get().choice().source());
    }
    if (v.safety() != Safety.safe && v.placement().severalNodes()) {
      return condition(PLACEMENT, "False", "OpenersCanSpanNodes",
          String.join("; ", v.placement().reasons()) + "; " + severalNodesAdvice(a));
    }
    String where = nodes.isEmpty() ? "no opener runs now" : "openers run on node " + nodes.get(0);
    if (a.pinnedNode().isPresent()) {
      return condition(PLACEMENT, "True", "Pinned", "every opener is pinned to node " + a.pinnedNode().get() + " ("
          + String.join(", ", v.placement().openerRefs()) + "); " + where);
    }
    return condition(PLACEMENT, "True", "SingleNode", where + ", and nothing lets them spread to another node");
  }

  /**
   * Openers the scheduler cannot place: which pods, what it said, and, when walguard pins them, the node and how to
   * move the pin (the pinned node may be gone: walguard watches no Nodes, the scheduler's word is the evidence).
   */
  private static String unschedulable(Assessment a) {
    var stuck = a.verdict().get().placement().unschedulable();
    String pods = stuck.stream().map(p -> p.name() + " of " + p.owner()).collect(Collectors.joining(", "));
    String said = stuck.stream().map(p -> (p.reason() == null ? "" : p.reason() + ": ")
        + (p.message() == null ? "no message" : p.message())).distinct().collect(Collectors.joining("; "));
    String pin = a.pinnedNode().orElseGet(() -> existingPin(a));
    return "pod" + (stuck.size() == 1 ? " " : "s ") + pods + " cannot be scheduled (" + said + ")" + (pin == null
        ? ", so openers cannot run: fix what keeps the scheduler from placing them"
        : "; walguard pins every opener to node " + pin + ": if that node is gone or cannot take them, set"
            + " spec.node to a node that can and walguard moves the pin there (deleting the SqliteDatabase removes"
            + " the pin)");
  }

  private static String severalNodesAdvice(Assessment a) {
    Verdict v = a.verdict().get();
    if (v.action() == Action.pin && a.pinnedNode().isPresent()) {
      String node = a.pinnedNode().get();
      List<String> manual = ManualRollout.advice(v.placement(), node);
      return "walguard pinned the openers to node " + node + (manual.isEmpty()
          ? "; this clears when the rollout has moved the others there" : "; " + String.join("; ", manual));
    }
    if (paused(a.database())) {
      return "the SqliteDatabase is paused (walguard.io/paused), so walguard changes nothing";
    }
    if (remedy(a.database()) == Remedy.none) {
      return "remedy is none, so walguard only reports: set remedy to pin or auto to pin them to one node";
    }
    return v.reasons().isEmpty() ? "" : v.reasons().get(v.reasons().size() - 1);
  }

  // ---- JournalMode ---------------------------------------------------------------------------------------------

  private static Condition journalMode(Assessment a, String observed) {
    if (a.fileUnknown()) {
      return condition(JOURNAL_MODE, "Unknown", "FileUnknown", fileUnknown(a.database()));
    }
    if (observed == null || observed.isBlank() || "unknown".equalsIgnoreCase(observed)) {
      return condition(JOURNAL_MODE, "Unknown", "NotObserved",
          "walguard has not read the journal mode from the database file's header yet");
    }
    String mode = observed.toLowerCase(Locale.ROOT);
    if (ROLLBACK.contains(mode)) {
      return condition(JOURNAL_MODE, "True", "RollbackJournal", "the database file uses a rollback journal (" + mode
          + ")");
    }
    Verdict v = a.verdict().orElse(null);
    if (v != null && v.action() == Action.journal) {
      return condition(JOURNAL_MODE, "False", "JournalSwitchPending", "the database file is in " + mode
          + " mode; walguard's remedy moves it to journal_mode=" + a.database().getSpec().getJournalMode());
    }
    if (v != null && v.safety() == Safety.unsafe) {
      return condition(JOURNAL_MODE, "False", "WalAcrossNodes", "the database file is in " + mode
          + " mode while openers can be on several nodes");
    }
    return condition(JOURNAL_MODE, "True", "Wal", "the database file is in " + mode
        + " mode, which is safe while every opener shares one kernel");
  }

  // ---- Checkpoint ----------------------------------------------------------------------------------------------

  private static Condition checkpoint(Assessment a, CheckpointResult last) {
    if (a.fileUnknown()) {
      return condition(CHECKPOINT, "Unknown", "FileUnknown", fileUnknown(a.database()));
    }
    var spec = a.database().getSpec() == null ? null : a.database().getSpec().checkpointOrDefault();
    if (spec != null && !spec.isEnabled()) {
      return condition(CHECKPOINT, "Unknown", "CheckpointDisabled",
          "spec.checkpoint.enabled is false: walguard does not checkpoint this database");
    }
    if (last == null) {
      return condition(CHECKPOINT, "Unknown", "NoCheckpointYet", "no walguard checkpoint has finished yet");
    }
    // The same judgement the checkpoint dependent makes, without the run before it to compare with.
    var limit = (spec == null ? new io.walguard.api.CheckpointSpec() : spec).getWalSizeLimit();
    var judgement = CheckpointHealth.judge(null, last, limit.getNumericalAmount().longValue(), List.of());
    return condition(CHECKPOINT, judgement.status(), judgement.reason(), "the checkpoint at " + last.getTime() + ": "
        + judgement.message());
  }

  // ---- Ready ---------------------------------------------------------------------------------------------------

  private static Condition ready(Assessment a) {
    SqliteDatabase db = a.database();
    if (!a.claimFound()) {
      return condition(READY, "False", "ClaimNotFound", claimMissing(db));
    }
    if (a.verdict().isEmpty()) {
      return condition(READY, "False", "DecisionFailed", a.decisionError());
    }
    Verdict v = a.verdict().get();
    List<String> errors = a.pin().map(Pinner.Report::errors).orElse(List.of());
    if (!errors.isEmpty()) {
      return condition(READY, "False", "PinFailed", String.join("; ", errors));
    }
    List<String> reverted = a.pin().map(Pinner.Report::reverted).orElse(List.of());
    if (!reverted.isEmpty()) {
      return condition(READY, "False", PIN_REVERTED, String.join("; ", reverted));
    }
    String last = v.reasons().isEmpty() ? "" : v.reasons().get(v.reasons().size() - 1);
    boolean placementMatters = v.storage().kind() != StorageKind.local && !v.placement().singlePodAccess();
    // Safe, but not ready: openers the scheduler cannot place do not run (an unsafe verdict says more, below).
    if (v.safety() == Safety.safe && placementMatters && !v.placement().unschedulable().isEmpty()) {
      return condition(READY, "False", OPENERS_UNSCHEDULABLE, unschedulable(a));
    }
    if (v.safety() == Safety.safe) {
      return switch (v.action()) {
        case pin -> condition(READY, "True", "Pinned", "WAL is safe: walguard keeps every opener on node "
            + a.pinnedNode().orElse(existingPin(a)));
        case journal -> condition(READY, "True", "RollbackJournal", "safe: the database uses a rollback journal");
        default -> condition(READY, "True", "Safe", "WAL is safe here: " + last);
      };
    }
    if (v.safety() == Safety.unknown) {
      return condition(READY, "False", "StorageUnknown", last);
    }
    if (paused(db)) {
      return condition(READY, "False", "Paused", "unsafe, and the SqliteDatabase is paused (walguard.io/paused):"
          + " walguard changes nothing; " + last);
    }
    if (remedy(db) == Remedy.none) {
      return condition(READY, "False", "RemedyNone", "unsafe, and remedy is none: " + last);
    }
    return switch (v.action()) {
      case pin -> {
        if (a.pinnedNode().isEmpty()) {
          yield condition(READY, "False", "NodeNotChosen", a.pin().map(p -> p.choice().source()).orElse(last));
        }
        List<String> manual = ManualRollout.advice(v.placement(), a.pinnedNode().get());
        yield condition(READY, "False", a.nodes().size() > 1 ? "OpenersOnSeveralNodes" : "PinInProgress",
            "walguard pinned the openers to node " + a.pinnedNode().get() + (manual.isEmpty()
                ? "; waiting until every opener runs there" : "; " + String.join("; ", manual)));
      }
      case journal -> condition(READY, "False", "JournalPending",
          "unsafe until the database is moved to a rollback journal: " + last);
      default -> condition(READY, "False", "Unsafe", last);
    };
  }

  // ---- shared words --------------------------------------------------------------------------------------------

  static String claimMissing(SqliteDatabase db) {
    return "PersistentVolumeClaim " + db.getMetadata().getNamespace() + "/" + db.getSpec().getClaimName()
        + " does not exist: create it, or set spec.claimName to the claim that holds " + db.getSpec().getFile();
  }

  static String fileUnknown(SqliteDatabase db) {
    return "the database file is unknown: walguard created this SqliteDatabase from the walguard.io/sqlite"
        + " annotation, which came without walguard.io/sqlite-file; set spec.file (or that annotation) to the"
        + " database's path in the volume so checkpoints and journal switches can find it";
  }

  static boolean paused(SqliteDatabase db) {
    var a = db.getMetadata().getAnnotations();
    return a != null && "true".equalsIgnoreCase(a.get(Annotations.PAUSED));
  }

  static Remedy remedy(SqliteDatabase db) {
    return db.getSpec() == null || db.getSpec().getRemedy() == null ? Remedy.auto : db.getSpec().getRemedy();
  }

  private static String existingPin(Assessment a) {
    return a.verdict().flatMap(v -> v.placement().openers().stream()
        .map(o -> o.object() == null || o.object().getMetadata().getAnnotations() == null ? null
            : o.object().getMetadata().getAnnotations().get(PinAnnotations.PINNED_NODE))
        .filter(Objects::nonNull).findFirst()).orElse(null);
  }
}
