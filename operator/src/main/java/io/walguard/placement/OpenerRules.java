package io.walguard.placement;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.core.Annotations;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whether one opener alone can have pods on more than one node at the same time, now or during a rollout. */
final class OpenerRules {

  /** Kubernetes' default for both {@code maxSurge} and {@code maxUnavailable} of a Deployment. */
  private static final IntOrString DEFAULT_BUDGET = new IntOrString("25%");

  private OpenerRules() {}

  /**
   * How far a workload's pods can spread before any node constraint: whether they can be on several nodes at once, a
   * full sentence saying why (or why not), and a short phrase of the same for the confined case.
   */
  private record Spread(boolean several, String text, String scope) {}

  /** A workload whose pod template mounts the claim: every pod it runs opens the database. */
  static Opener shared(Workload w, Collection<HorizontalPodAutoscaler> autoscalers, String namespace) {
    Spread spread;
    if (w.object() instanceof Deployment d) {
      spread = deployment(d, replicas(w, d.getSpec() == null ? null : d.getSpec().getReplicas(), autoscalers));
    } else if (w.object() instanceof StatefulSet s) {
      Replicas r = replicas(w, s.getSpec() == null ? null : s.getSpec().getReplicas(), autoscalers);
      spread = r.count() > 1
          ? new Spread(true, r.text() + " share the claim through the pod template and can run on " + r.count()
              + " nodes at once", r.text())
          : new Spread(false, r.text() + ", and a StatefulSet never runs two pods of one ordinal at once", r.text());
    } else if (w.object() instanceof DaemonSet) {
      spread = new Spread(true, "a DaemonSet runs one pod on every node it can, so on several nodes at once",
          "a DaemonSet, one pod per node");
    } else if (w.object() instanceof ReplicaSet rs) {
      Replicas r = replicas(w, rs.getSpec() == null ? null : rs.getSpec().getReplicas(), autoscalers);
      spread = r.count() > 1
          ? new Spread(true, r.text() + " can run on " + r.count() + " nodes at once", r.text())
          : new Spread(false, r.text() + ": a ReplicaSet has no rollout of its own, so one pod at a time", r.text());
    } else if (w.object() instanceof Job j) {
      spread = parallelism(j.getSpec() == null ? null : j.getSpec().getParallelism(),
          j.getSpec() == null ? null : j.getSpec().getCompletions());
    } else {
      spread = cronJob((CronJob) w.object());
    }
    return confine(w, namespace, spread);
  }

  /**
   * A StatefulSet whose {@code volumeClaimTemplates} produce the claim ({@code <template>-<statefulset>-<ordinal>}
   * with the ordinal among its replicas): exactly one pod opens it, and a StatefulSet never runs two pods of one
   * ordinal at once.
   */
  static Optional<Opener> ordinal(Workload w, String claim, Collection<HorizontalPodAutoscaler> autoscalers,
      String namespace) {
    return ordinalPod(w, claim, autoscalers).map(pod -> confine(w, namespace, new Spread(false,
        "one pod per claim (" + pod + " mounts " + claim + "), never two at once", "one pod per claim")));
  }

  /** The name of the StatefulSet pod whose template claim is this claim, if one is among its replicas. */
  private static Optional<String> ordinalPod(Workload w, String claim, Collection<HorizontalPodAutoscaler> autoscalers) {
    return templateClaim(w, claim).flatMap(t -> {
      StatefulSet s = (StatefulSet) w.object();
      int start = s.getSpec().getOrdinals() == null || s.getSpec().getOrdinals().getStart() == null ? 0
          : s.getSpec().getOrdinals().getStart();
      String suffix = claim.substring(t.getMetadata().getName().length() + w.name().length() + 2);
      int ordinal;
      try {
        ordinal = Integer.parseInt(suffix);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      int replicas = replicas(w, s.getSpec().getReplicas(), autoscalers).count();
      // "01" or "+1" parse as 1 but no StatefulSet names a claim that way.
      boolean running = String.valueOf(ordinal).equals(suffix) && ordinal >= start && ordinal < start + replicas;
      return running ? Optional.of(w.name() + "-" + ordinal) : Optional.empty();
    });
  }

  /** The StatefulSet volumeClaimTemplate whose claims are named like this claim, if any. */
  static Optional<PersistentVolumeClaim> templateClaim(Workload w, String claim) {
    if (!(w.object() instanceof StatefulSet s) || s.getSpec() == null || s.getSpec().getVolumeClaimTemplates() == null) {
      return Optional.empty();
    }
    return s.getSpec().getVolumeClaimTemplates().stream()
        .filter(t -> t.getMetadata() != null && t.getMetadata().getName() != null
            && claim.startsWith(t.getMetadata().getName() + "-" + w.name() + "-"))
        .findFirst();
  }

  /**
   * How a Job has finished, if it has: a {@code Complete} or {@code Failed} condition, or as many succeeded pods as
   * it needs with none still active. A finished Job starts no pod again, so it opens nothing. Only a Job read from a
   * cluster can be finished: a manifest carries no status (audit drops it), so a Job in a manifest is an opener.
   */
  static Optional<String> finished(Job job) {
    var status = job.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    if (status.getConditions() != null) {
      for (var c : status.getConditions()) {
        if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) {
          return Optional.of(c.getType());
        }
      }
    }
    Integer completions = job.getSpec() == null ? null : job.getSpec().getCompletions();
    int needed = completions == null ? 1 : completions;
    int succeeded = status.getSucceeded() == null ? 0 : status.getSucceeded();
    int active = status.getActive() == null ? 0 : status.getActive();
    if (needed > 0 && succeeded >= needed && active == 0) {
      return Optional.of(succeeded + " of " + needed + " pods succeeded");
    }
    return Optional.empty();
  }

  /**
   * A pod no workload in the facts controls. It cannot be patched, but it needs no pin either: once scheduled it
   * stays on its node, and walguard pins the other openers next to it, so it counts as pinnable.
   */
  static Opener barePod(Pod pod, String namespace) {
    String name = pod.getMetadata().getName();
    var labels = pod.getMetadata().getLabels() == null ? Map.<String, String>of() : pod.getMetadata().getLabels();
    NodeConstraint c = NodeConstraint.of(pod.getSpec(), labels, namespace);
    String node = c.node();
    String reason;
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      reason = "Pod/" + name + ": a bare Pod on node " + node + "; it stays there";
    } else if (node != null) {
      reason = "Pod/" + name + ": a bare Pod, kept on " + node + " by " + c.how();
    } else {
      reason = "Pod/" + name + ": a bare Pod runs on one node, but it is not scheduled yet, so which node is not known";
    }
    return new Opener("Pod", name, pod, true, node, false, false, List.of(reason));
  }

  private static Opener confine(Workload w, String namespace, Spread spread) {
    NodeConstraint c = NodeConstraint.of(w.podSpec(), w.templateLabels(), namespace);
    String pinnedNode = c.node();
    String annotated = w.annotation(Annotations.PINNED_NODE);
    boolean byWalguard = annotated != null && c.byNodeAffinity() && annotated.equals(pinnedNode);
    String how = byWalguard
        ? "walguard's pin (a required node affinity, " + Annotations.PINNED_NODE + ": " + annotated + ")"
        : c.how();
    String where = pinnedNode != null ? pinnedNode : "one node";
    String reason;
    if (!c.confined()) {
      reason = w.ref() + ": " + spread.text();
    } else if (spread.several()) {
      reason = w.ref() + ": " + spread.scope() + ", but " + how + " keeps every pod on " + where
          + ", even during a rollout";
    } else {
      reason = w.ref() + ": " + spread.text() + "; " + how + " keeps it on " + where;
    }
    boolean pinnable = !(w.object() instanceof DaemonSet);
    return new Opener(w.kind(), w.name(), w.object(), pinnable, pinnedNode, byWalguard,
        spread.several() && !c.confined(), List.of(reason));
  }

  /** Desired replicas: a HorizontalPodAutoscaler's maxReplicas when one scales the workload, else spec.replicas. */
  private record Replicas(int count, String text) {}

  private static Replicas replicas(Workload w, Integer specReplicas, Collection<HorizontalPodAutoscaler> autoscalers) {
    Optional<HorizontalPodAutoscaler> hpa = autoscalers.stream()
        .filter(h -> h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
            && w.kind().equals(h.getSpec().getScaleTargetRef().getKind())
            && w.name().equals(h.getSpec().getScaleTargetRef().getName())
            && h.getSpec().getMaxReplicas() != null)
        .findFirst();
    if (hpa.isPresent()) {
      int max = Math.max(hpa.get().getSpec().getMaxReplicas(), 1);
      String by = " (HorizontalPodAutoscaler/" + hpa.get().getMetadata().getName() + " maxReplicas " + max + ")";
      return new Replicas(max, (max == 1 ? "one replica" : "up to " + max + " replicas") + by);
    }
    int replicas = specReplicas == null ? 1 : specReplicas;
    if (replicas == 0) {
      // Scaled to zero now; scaling it back up brings the one pod back, so it is judged as that pod.
      return new Replicas(1, "0 replicas now (judged as one, as when scaled back up)");
    }
    return new Replicas(replicas, replicas == 1 ? "one replica" : replicas + " replicas");
  }

  private static Spread deployment(Deployment d, Replicas r) {
    if (r.count() > 1) {
      return new Spread(true, r.text() + " can run on " + r.count() + " nodes at once", r.text());
    }
    DeploymentStrategy strategy = d.getSpec() == null ? null : d.getSpec().getStrategy();
    if (strategy != null && "Recreate".equals(strategy.getType())) {
      return new Spread(false, r.text() + ", and Recreate stops the old pod before it starts the new one, so it"
          + " never runs on two nodes at once", r.text() + " with Recreate");
    }
    var rolling = strategy == null ? null : strategy.getRollingUpdate();
    IntOrString maxSurge = rolling == null || rolling.getMaxSurge() == null ? null : rolling.getMaxSurge();
    IntOrString maxUnavailable =
        rolling == null || rolling.getMaxUnavailable() == null ? DEFAULT_BUDGET : rolling.getMaxUnavailable();
    IntOrString surgeValue = maxSurge == null ? DEFAULT_BUDGET : maxSurge;
    Integer surge = IntOrPercent.scaled(surgeValue, r.count(), true);
    if (surge == null) {
      return new Spread(true, "RollingUpdate with maxSurge '" + IntOrPercent.text(surgeValue)
          + "', which is neither a number nor a percentage, is taken to surge: two pods can run on two nodes during"
          + " a rollout", "RollingUpdate");
    }
    String surgeText = (maxSurge == null ? "the default maxSurge " : "maxSurge ") + IntOrPercent.text(surgeValue)
        + (IntOrPercent.isPercent(surgeValue) ? " (rounded up to " + surge + (surge == 1 ? " pod)" : " pods)") : "");
    if (surge >= 1) {
      int pods = r.count() + surge;
      String scope = "RollingUpdate with " + surgeText;
      return new Spread(true, scope + " can run " + (pods == 2 ? "two pods on two nodes" : pods + " pods on " + pods
          + " nodes") + " during a rollout", scope);
    }
    Integer unavailable = IntOrPercent.scaled(maxUnavailable, r.count(), false);
    // Kubernetes lets a rollout with neither surge nor unavailability proceed by taking one pod down first.
    int down = unavailable == null || unavailable < 1 ? 1 : unavailable;
    return new Spread(false, r.text() + ", and RollingUpdate with " + surgeText + " (maxUnavailable " + down
        + ") stops the old pod before it starts the new one, so it never runs on two nodes at once",
        r.text() + " with " + surgeText);
  }

  /** A Job runs at most as many pods at once as completions remain: min(parallelism, completions) when set. */
  private static Spread parallelism(Integer parallelism, Integer completions) {
    int p = parallelism == null ? 1 : parallelism;
    if (p > 1 && completions != null && completions < p) {
      int at = Math.max(completions, 1);
      return at > 1
          ? new Spread(true, "parallelism " + p + " with completions " + completions + " can run " + at + " pods on "
              + at + " nodes at once", "parallelism " + p + " with completions " + completions)
          : new Spread(false, "parallelism " + p + ", but completions " + completions + ": one pod at a time",
              "completions " + completions);
    }
    if (p > 1) {
      return new Spread(true, "parallelism " + p + " can run " + p + " pods on " + p + " nodes at once",
          "parallelism " + p);
    }
    return new Spread(false, "parallelism " + (parallelism == null ? "1 (the default)" : p) + ": one pod at a time",
        "parallelism " + p);
  }

  private static Spread cronJob(CronJob c) {
    var spec = c.getSpec();
    String policy = spec == null || spec.getConcurrencyPolicy() == null ? null : spec.getConcurrencyPolicy();
    var job = spec == null || spec.getJobTemplate() == null ? null : spec.getJobTemplate().getSpec();
    Integer parallelism = job == null ? null : job.getParallelism();
    Integer completions = job == null ? null : job.getCompletions();
    if (policy == null || "Allow".equals(policy)) {
      String text = "concurrencyPolicy Allow" + (policy == null ? " (the default)" : "")
          + " lets a run start while the previous one still runs, on another node";
      return new Spread(true, text, "concurrencyPolicy Allow");
    }
    String oneRun = "Replace".equals(policy)
        ? "concurrencyPolicy Replace: one run at a time (a new run replaces the one still running)"
        : "concurrencyPolicy " + policy + ": one run at a time";
    Spread runs = parallelism(parallelism, completions);
    if (runs.several()) {
      return new Spread(true, oneRun + ", but each run's " + runs.text(), oneRun + " with " + runs.scope());
    }
    return new Spread(false, oneRun + ", " + runs.text(), oneRun);
  }
}
