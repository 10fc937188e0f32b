package io.walguard.placement;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Facts;
import io.walguard.core.InMemoryFacts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pods open a database's claim, and how many nodes can hold one at the same time, now and during rollouts
 * (DESIGN.md section 6). Pure: it reads the facts and nothing else.
 *
 * <p>Openers are the workloads whose pod template mounts the claim, the StatefulSets whose volumeClaimTemplates
 * produce it, and the bare Pods that mount it. A ReplicaSet or Job controlled by a Deployment or CronJob in the facts
 * is not an opener itself: its owner is. A Job that has finished (Complete or Failed) is no opener either: it starts no
 * pod again. With {@code spec.workloadSelector}, only workloads whose pod template labels match, and pods whose labels
 * match, count.
 *
 * <p>Several openers are on one node only when every one is confined to the same named node; a required pod affinity
 * to its own pods keeps one workload together, but says nothing about the node of another workload.
 *
 * <p>Bare Pods: walguard cannot patch them, but a scheduled Pod stays on its node, so walguard can pin the other
 * openers next to it. A bare Pod therefore counts as pinnable, and {@link Placement#allPinnable()} is false only
 * when the openers are held on different nodes by what walguard does not change: bare Pods on (or bound for)
 * different nodes, more than one bare Pod not yet scheduled, or nodeName, nodeSelector and node affinities the
 * user wrote.
 */
public final class PlacementAnalyzer {

  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  public Placement analyze(Facts facts, SqliteDatabase database) {
    String namespace = namespaceOf(facts, database);
    String claim = database.getSpec() == null ? null : database.getSpec().getClaimName();
    if (claim == null || claim.isEmpty()) {
      String name = database.getMetadata() == null ? null : database.getMetadata().getName();
      return new Placement(List.of(), false, List.of("SqliteDatabase " + namespace + "/" + name
          + " has no spec.claimName: set it to the PersistentVolumeClaim that holds the database"), List.of(),
          List.of(), Optional.empty(), true, false, false);
    }
    LabelSelector selector = database.getSpec().getWorkloadSelector();
    List<Workload> workloads = facts.workloads(namespace).stream()
        .filter(w -> !walguardToolbox(w.getMetadata().getLabels()))
        .map(Workload::of).flatMap(Optional::stream).toList();
    Owners owners = new Owners(workloads);
    Collection<HorizontalPodAutoscaler> autoscalers = facts.autoscalers(namespace);

    List<Opener> openers = new ArrayList<>();
    List<String> finishedJobs = new ArrayList<>();
    for (Workload w : workloads) {
      if (owners.controllerOf(w.object()).isPresent() || !LabelSelectors.matches(selector, w.templateLabels())) {
        continue;
      }
      Optional<String> finished = w.object() instanceof Job job ? OpenerRules.finished(job) : Optional.empty();
      if (finished.isPresent()) {
        if (w.mounts(claim)) {
          finishedJobs.add(w.ref() + ": finished (" + finished.get() + "), so it starts no pod that opens the"
              + " database");
        }
        continue;
      }
      if (w.mounts(claim)) {
        openers.add(OpenerRules.shared(w, autoscalers, namespace));
      } else {
        OpenerRules.ordinal(w, claim, autoscalers, namespace).ifPresent(openers::add);
      }
    }

    List<RunningPod> running = new ArrayList<>();
    List<WaitingPod> waiting = new ArrayList<>();
    for (Pod pod : facts.pods(namespace)) {
      if (!Workload.mounts(pod, claim) || !LabelSelectors.matches(selector, pod.getMetadata().getLabels())
          || walguardToolbox(pod.getMetadata().getLabels())) {
        continue;
      }
      boolean finished = pod.getStatus() != null && FINISHED.contains(pod.getStatus().getPhase());
      if (finished) {
        continue; // a finished pod opens nothing, and a bare one never runs again
      }
      Optional<Workload> owner = owners.ownerOf(pod);
      if (owner.isEmpty()) {
        openers.add(OpenerRules.barePod(pod, namespace));
      }
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      String ownerRef = owner.map(Workload::ref).orElse("Pod/" + pod.getMetadata().getName());
      if (node != null && !node.isEmpty()) {
        running.add(new RunningPod(pod.getMetadata().getName(), node,
            pod.getStatus() == null ? null : pod.getStatus().getStartTime(), ownerRef));
      } else {
        waiting.add(waiting(pod, ownerRef));
      }
    }
    running.sort(Comparator.comparing(RunningPod::node).thenComparing(RunningPod::name));
    waiting.sort(Comparator.comparing(WaitingPod::name));

    // A claim a StatefulSet's volumeClaimTemplates produce exists by name even when no PVC object is given.
    Optional<PersistentVolumeClaim> pvc = facts.claim(namespace, claim).or(() -> workloads.stream()
        .map(w -> OpenerRules.templateClaim(w, claim)).flatMap(Optional::stream).findFirst());
    boolean singlePodAccess = pvc.map(p -> p.getSpec() == null ? null : p.getSpec().getAccessModes())
        .map(modes -> modes.equals(List.of("ReadWriteOncePod"))).orElse(false);
    return assemble(claim, selector, openers, finishedJobs, running, waiting, singlePodAccess);
  }

  /** A pod without a node, with the scheduler's word on it from its PodScheduled condition. */
  private static WaitingPod waiting(Pod pod, String owner) {
    var conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
    var scheduled = conditions == null ? Optional.<io.fabric8.kubernetes.api.model.PodCondition>empty()
        : conditions.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    return new WaitingPod(pod.getMetadata().getName(), owner,
        scheduled.map(io.fabric8.kubernetes.api.model.PodCondition::getStatus).orElse(null),
        scheduled.map(io.fabric8.kubernetes.api.model.PodCondition::getReason).orElse(null),
        scheduled.map(io.fabric8.kubernetes.api.model.PodCondition::getMessage).orElse(null));
  }

  /**
   * walguard's own checkpoint, journal and probe runs mount the claim too, but they follow the openers to their node
   * (or run alone): counting them as openers would make walguard pin its own CronJob, or see a second node.
   */
  static boolean walguardToolbox(Map<String, String> labels) {
    return labels != null && "walguard".equals(labels.get("app.kubernetes.io/managed-by"))
        && labels.containsKey("walguard.io/database") && labels.containsKey("app.kubernetes.io/component");
  }

  private static Placement assemble(String claim, LabelSelector selector, List<Opener> openers,
      List<String> finishedJobs, List<RunningPod> running, List<WaitingPod> waiting, boolean singlePodAccess) {
    List<String> reasons = new ArrayList<>(LabelSelectors.problems(selector, "spec.workloadSelector"));
    List<String> nodes = running.stream().map(RunningPod::node).distinct().sorted().toList();
    Optional<String> commonNode = commonNode(openers);

    if (openers.isEmpty()) {
      String among = LabelSelectors.selectsEverything(selector) ? "" : " among those spec.workloadSelector selects";
      reasons.add(finishedJobs.isEmpty() ? "no workload mounts claim " + claim + " yet" + among
          : "no running workload mounts claim " + claim + among);
    }
    reasons.addAll(finishedJobs);
    openers.stream().filter(Opener::severalNodes).forEach(o -> reasons.addAll(o.reasons()));
    openers.stream().filter(o -> !o.severalNodes()).forEach(o -> reasons.addAll(o.reasons()));
    String refs = openers.stream().map(Opener::ref).collect(Collectors.joining(", "));
    if (openers.size() > 1) {
      reasons.add(commonNode
          .map(n -> refs + " all stay on " + n + ", so they share one kernel")
          .orElse(refs + " share claim " + claim + " and are not all confined to one node, so they can run on"
              + " different nodes at once"));
    }

    List<String> strays = strays(openers, running);
    reasons.addAll(strays);
    if (nodes.size() > 1) {
      Map<String, List<String>> byNode = new LinkedHashMap<>();
      running.forEach(p -> byNode.computeIfAbsent(p.node(), n -> new ArrayList<>())
          .add("Pod/" + p.name() + " of " + p.owner()));
      reasons.add("claim " + claim + " is open on " + nodes.size() + " nodes right now: " + byNode.entrySet().stream()
          .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").collect(Collectors.joining(", ")));
    }

    boolean severalNodes = openers.stream().anyMatch(Opener::severalNodes)
        || (openers.size() > 1 && commonNode.isEmpty())
        || nodes.size() > 1
        || !strays.isEmpty();
    boolean pinnedByWalguard = commonNode.isPresent() && openers.stream().anyMatch(Opener::walguardPinned);
    boolean eachPinnable = openers.stream().allMatch(Opener::pinnable);
    List<String> heldApart = heldApart(openers);
    boolean allPinnable = eachPinnable && heldApart.isEmpty();
    if (eachPinnable && !heldApart.isEmpty()) {
      reasons.add(String.join(", ", heldApart) + ": held on different nodes by what walguard does not change, so"
          + " walguard cannot pin them to one node");
    }
    return new Placement(List.copyOf(openers), severalNodes, List.copyOf(reasons), List.copyOf(running), nodes,
        commonNode, allPinnable, pinnedByWalguard, singlePodAccess, List.copyOf(waiting));
  }

  /** The one node every opener is confined to, when there is one. */
  private static Optional<String> commonNode(List<Opener> openers) {
    Set<String> pinned = openers.stream().map(Opener::pinnedNode).collect(Collectors.toSet());
    return pinned.size() == 1 && !pinned.contains(null) ? Optional.of(pinned.iterator().next()) : Optional.empty();
  }

  /**
   * Where the openers are held by constraints walguard does not change, when that is more than one place: each
   * opener confined by the user (nodeName, nodeSelector, node affinity, or a bare Pod's node) and each bare Pod
   * not scheduled yet, which will land wherever the scheduler puts it. Empty when walguard can still pick one node.
   */
  private static List<String> heldApart(List<Opener> openers) {
    Set<String> fixedNodes = new LinkedHashSet<>();
    List<String> held = new ArrayList<>();
    int floating = 0;
    for (Opener o : openers) {
      if (o.pinnedNode() != null && !o.walguardPinned()) {
        fixedNodes.add(o.pinnedNode());
        held.add(o.ref() + " on " + o.pinnedNode());
      } else if (o.pinnedNode() == null && "Pod".equals(o.kind())) {
        floating++;
        held.add(o.ref() + " (not scheduled yet)");
      }
    }
    return fixedNodes.size() + floating > 1 ? held : List.of();
  }

  /**
   * Pods running away from the node their opener is now confined to: the opener was pinned (by walguard or by hand)
   * and its rollout has not moved them yet. Until it has, openers are on two nodes, and that window is reported.
   */
  private static List<String> strays(List<Opener> openers, List<RunningPod> running) {
    List<String> strays = new ArrayList<>();
    for (RunningPod pod : running) {
      openers.stream()
          .filter(o -> o.ref().equals(pod.owner()) && o.pinnedNode() != null && !o.pinnedNode().equals(pod.node()))
          .findFirst()
          .ifPresent(o -> strays.add("Pod/" + pod.name() + " of " + o.ref() + " still runs on " + pod.node()
              + ", not on " + o.pinnedNode() + " where " + o.ref() + " is now confined: until its rollout replaces"
              + " it, openers are on two nodes"));
    }
    return strays;
  }

  /** The database's namespace; a SqliteDatabase read from a manifest without one is in the facts' default namespace. */
  private static String namespaceOf(Facts facts, SqliteDatabase database) {
    String namespace = database.getMetadata() == null ? null : database.getMetadata().getNamespace();
    if (namespace != null && !namespace.isEmpty()) {
      return namespace;
    }
    return facts instanceof InMemoryFacts memory ? memory.defaultNamespace() : "default";
  }
}
