package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Facts;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out the pin remedy: every opening workload's pod template gets walguard's node affinity to one node, and
 * removes it again when the database goes. Records an Event on the SqliteDatabase and on each workload it changes.
 */
public final class Pinner {

  /**
   * The kinds whose pod template walguard patches. Not a Job: the API server refuses any change to a Job's pod
   * template, so a Job is reported like a bare Pod; a CronJob's jobTemplate can change, and its next runs follow.
   */
  static final Set<String> PATCHABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet", "CronJob");

  private final WorkloadPatcher patcher;
  private final EventRecorder events;
  private final PinReverts reverts;

  Pinner(WorkloadPatcher patcher, EventRecorder events, java.time.Clock clock) {
    this.patcher = patcher;
    this.events = events;
    this.reverts = new PinReverts(clock);
  }

  /** What pinning did to one workload. */
  public record Outcome(String ref, PinPatch.Change change, String previousNode, Optional<Rollout.Change> rollout) {}

  /**
   * What the pin remedy did for one database.
   *
   * @param choice the node and why
   * @param outcomes one per workload walguard pinned or checked
   * @param notes openers walguard cannot pin (bare Pods, Jobs) and why, for status reasons
   * @param errors patches that failed, in words a person can act on
   * @param reverted workloads whose pin something keeps taking out (a GitOps tool), and what to do about it
   */
  public record Report(NodeChoice choice, List<Outcome> outcomes, List<String> notes, List<String> errors,
      List<String> reverted) {}

  Report pin(SqliteDatabase db, Placement placement, NodeChoice choice, Facts facts) {
    List<Outcome> outcomes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<String> reverted = new ArrayList<>();
    if (choice.node().isEmpty()) {
      return new Report(choice, outcomes, notes, errors, reverted);
    }
    String node = choice.node().get();
    String dbName = db.getMetadata().getName();
    for (Opener opener : placement.openers()) {
      HasMetadata workload = opener.object();
      if ("Pod".equals(opener.kind())) {
        barePod(opener, placement, node).ifPresent(notes::add);
        continue;
      }
      if ("Job".equals(opener.kind())) {
        job(opener, placement, node).ifPresent(notes::add);
        continue;
      }
      if (workload == null || !PATCHABLE.contains(opener.kind()) || ownedByPinnedParent(workload)) {
        continue;
      }
      if (node.equals(opener.pinnedNode()) && !opener.walguardPinned() && !hasWalguardPin(workload)) {
        continue;
      }
      Set<String> others = new java.util.LinkedHashSet<>(PinPatch.pinnedBy(json(workload)));
      others.remove(dbName);
      String existing = annotation(workload, PinAnnotations.PINNED_NODE);
      if (!others.isEmpty() && existing != null && !existing.equals(node)) {
        errors.add(opener.ref() + " is pinned to node " + existing + " for SqliteDatabase " + String.join(", ", others)
            + ", which shares it; walguard will not move it to " + node + ": set spec.node to " + existing
            + " on every SqliteDatabase it opens, or split the workload");
        continue;
      }
      boolean guard = workload instanceof Deployment d && singleReplica(d, facts);
      boolean chosenBySpec = NodeChoice.SPEC_NODE.equals(choice.source());
      var result = patcher.patch(workload,
          json -> PinPatch.pin(json, opener.kind(), chosenBySpec ? node : PinPatch.kept(json, dbName, node), dbName,
              guard),
          PinPatch.Plan::ops);
      if (result.failed()) {
        errors.add(result.error());
        continue;
      }
      if (result.plan() == null) {
        continue;
      }
      PinPatch.Plan plan = result.plan();
      Outcome outcome = new Outcome(opener.ref(), plan.change(), plan.previousNode(), plan.rollout());
      outcomes.add(outcome);
      String key = workload.getMetadata().getNamespace() + "/" + opener.ref();
      int restores = plan.change() == PinPatch.Change.RESTORED && result.updated() != null ? reverts.restored(key)
          : reverts.recent(key);
      HasMetadata about = result.updated() != null ? result.updated() : workload;
      String pinnedTo = chosenBySpec || result.updated() == null ? node : PinPatch.kept(json(about), dbName, node);
      if (restores >= PinReverts.LIMIT) {
        String fight = fight(opener, pinnedTo, restores);
        reverted.add(fight);
        if (plan.change() == PinPatch.Change.RESTORED && restores == PinReverts.LIMIT) {
          events.warning(db, "PinReverted", fight);
          events.warning(about, "PinReverted", fight);
        }
        if (plan.change() == PinPatch.Change.RESTORED) {
          continue; // past the limit the status says it; an Event per round would only flood
        }
      }
      announce(db, about, outcome, pinnedTo, pinnedTo.equals(node) ? choice.source()
          : "the node walguard already pinned the openers to");
    }
    return new Report(choice, outcomes, notes, errors, reverted);
  }

  private static String fight(Opener opener, String node, int restores) {
    String ref = opener.ref();
    return "the node affinity walguard keeps on " + ref + " was taken out " + restores + " times within the last hour"
        + " and put back each time: a GitOps tool (Argo CD or Flux self-heal) most likely resets " + ref + " to what"
        + " Git holds. Put the affinity (kubernetes.io/hostname In [" + node + "]) and the annotations "
        + PinAnnotations.PINNED_NODE + " and " + PinAnnotations.PINNED_BY + " into Git, or have the tool ignore "
        + PinPatch.podSpecPath(opener.kind()) + "/affinity and those annotations (Argo CD: ignoreDifferences with"
        + " RespectIgnoreDifferences=true). walguard keeps putting the pin back, without an Event each time";
  }

  private void announce(SqliteDatabase db, HasMetadata workload, Outcome o, String node, String why) {
    String dbRef = "SqliteDatabase " + db.getMetadata().getName();
    String term = "required node affinity kubernetes.io/hostname In [" + node + "]";
    String message = switch (o.change()) {
      case NONE -> null;
      case PINNED -> "walguard pinned " + o.ref() + " to node " + node + " (" + term + "; " + why + ") so every pod"
          + " that opens " + dbRef + " shares one kernel";
      case MOVED -> "walguard moved the pin of " + o.ref() + " from node " + o.previousNode() + " to " + node
          + " (" + why + ")";
      case RESTORED -> "the node affinity walguard keeps on " + o.ref() + " was edited away; walguard put it back ("
          + term + "). To unpin, delete " + dbRef;
      case JOINED -> o.ref() + " is already pinned to node " + node + " by walguard; " + dbRef + " now relies on that"
          + " pin too";
    };
    if (message != null) {
      String reason = switch (o.change()) {
        case MOVED -> "PinMoved";
        case RESTORED -> "PinRestored";
        case JOINED -> "PinShared";
        default -> "Pinned";
      };
      events.normal(db, reason, message);
      events.normal(workload, reason, message);
    }
    o.rollout().ifPresent(r -> {
      String text = o.ref() + " runs one replica with a RollingUpdate that starts the new pod before stopping the old"
          + " one (" + r.before() + "); walguard set " + r.after() + " so the old pod stops first and the two never"
          + " open the database from two nodes. Deleting " + dbRef + " restores it";
      events.normal(db, "MaxSurgeZero", text);
      events.normal(workload, "MaxSurgeZero", text);
    });
  }

  /** Removes what walguard added for this database from every workload in its namespace. Returns the errors. */
  List<String> unpin(SqliteDatabase db, Facts facts) {
    List<String> errors = new ArrayList<>();
    String dbName = db.getMetadata().getName();
    for (HasMetadata workload : facts.workloads(db.getMetadata().getNamespace())) {
      if (!PinPatch.pinnedBy(json(workload)).contains(dbName)) {
        continue;
      }
      String kind = workload.getKind();
      var result = patcher.patch(workload, json -> PinPatch.unpin(json, kind, dbName), PinPatch.Removal::ops);
      if (result.failed()) {
        errors.add(result.error());
        continue;
      }
      PinPatch.Removal removal = result.plan();
      if (removal == null || removal.isEmpty()) {
        continue;
      }
      String ref = Workloads.ref(workload);
      String message = removal.termRemoved()
          ? "SqliteDatabase " + dbName + " was deleted: walguard removed its node affinity to " + removal.node()
              + " and its annotations from " + ref
              + (removal.rolloutRestored() ? ", and restored the rollout strategy it had changed" : "")
          : "SqliteDatabase " + dbName + " was deleted: " + ref + " stays pinned to " + removal.node()
              + " for the other SqliteDatabases it opens";
      HasMetadata about = result.updated() != null ? result.updated() : workload;
      events.normal(about, "Unpinned", message);
      events.normal(db, "Unpinned", message);
    }
    return errors;
  }

  private static Optional<String> barePod(Opener opener, Placement placement, String node) {
    Optional<RunningPod> running = placement.running().stream()
        .filter(p -> p.name().equals(opener.name())).findFirst();
    String where = running.map(RunningPod::node).orElse(null);
    if (where != null && where.equals(node)) {
      return Optional.empty();
    }
    return Optional.of(opener.ref() + " is a bare Pod: walguard cannot patch it"
        + (where == null ? "" : "; it runs on node " + where + " until deleted")
        + ". Recreate it with nodeName " + node + " (or a node affinity to it), or run it from a Deployment");
  }

  /** A running Job walguard cannot pin; nothing to say when all its pods already run on the node. */
  private static Optional<String> job(Opener opener, Placement placement, String node) {
    List<String> elsewhere = placement.running().stream()
        .filter(p -> p.owner().equals(opener.ref()) && !p.node().equals(node))
        .map(p -> p.name() + " on " + p.node()).sorted().toList();
    boolean runsThere = placement.running().stream()
        .anyMatch(p -> p.owner().equals(opener.ref()) && p.node().equals(node));
    if (elsewhere.isEmpty() && runsThere) {
      return Optional.empty();
    }
    return Optional.of(opener.ref() + " is a Job: walguard cannot pin it, because the API server refuses any change"
        + " to a Job's pod template" + (elsewhere.isEmpty() ? ", so its next pod may start on any node"
            : "; pod " + String.join(", pod ", elsewhere) + " keeps running there")
        + ". Let it finish (a finished Job opens nothing), recreate it with a node affinity to " + node
        + " (kubernetes.io/hostname In [" + node + "]), or run it from a CronJob, whose template walguard pins");
  }

  /** A ReplicaSet or Job whose Deployment or CronJob opens the claim too is pinned through its owner. */
  private static boolean ownedByPinnedParent(HasMetadata workload) {
    String kind = workload.getKind();
    Optional<String> owner = Workloads.controller(workload);
    return ("ReplicaSet".equals(kind) && owner.filter(o -> o.startsWith("Deployment/")).isPresent())
        || ("Job".equals(kind) && owner.filter(o -> o.startsWith("CronJob/")).isPresent());
  }

  private static boolean singleReplica(Deployment d, Facts facts) {
    Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
    if (replicas != null && replicas != 1) {
      return false;
    }
    for (HorizontalPodAutoscaler hpa : facts.autoscalers(d.getMetadata().getNamespace())) {
      var target = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
      if (target != null && "Deployment".equals(target.getKind()) && d.getMetadata().getName().equals(target.getName())
          && hpa.getSpec().getMaxReplicas() != null && hpa.getSpec().getMaxReplicas() > 1) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasWalguardPin(HasMetadata workload) {
    return annotation(workload, PinAnnotations.PINNED_NODE) != null;
  }

  private static String annotation(HasMetadata o, String key) {
    var a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(HasMetadata workload) {
    var meta = workload.getMetadata();
    var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    var annotations = node.putObject("metadata").putObject("annotations");
    if (meta.getAnnotations() != null) {
      meta.getAnnotations().forEach(annotations::put);
    }
    return node;
  }
}
