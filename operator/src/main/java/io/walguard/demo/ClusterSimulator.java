package io.walguard.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.walguard.jobs.ToolboxJob;
import io.walguard.jobs.ToolboxPod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The part of Kubernetes the embedded API server lacks: the workload controllers, the scheduler and the kubelet,
 * reduced to what walguard observes. Each {@link #step()} makes the Pods of Deployments, StatefulSets and
 * DaemonSets match their specs: the right number of running Pods, on nodes their required node affinity,
 * {@code nodeSelector} or {@code nodeName} allows, spread over the nodes as a scheduler spreads replicas; a Pod whose
 * template changed is replaced, one at a time, as a rolling update does.
 *
 * <p>Given a directory for volumes, it also runs walguard's journal-switch Jobs as the Job controller and the kubelet
 * would: the Job's own {@code walguard sqlite set-journal-mode} runs for real, in this process, on a SQLite database
 * in WAL mode in the directory that stands in for the claim (see {@link ToolboxRun}), and the finished pod carries
 * its termination message. Probe Jobs are left alone: they would report this machine's filesystem, not the
 * simulated volume's.
 *
 * <p>It is a stand-in for a real cluster in the demo and the e2e suite, and says so; it never runs the containers
 * of applications.
 */
public final class ClusterSimulator {

  static final String TEMPLATE_HASH = "walguard.io/simulated-template";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String COMPONENT = "app.kubernetes.io/component";
  private static final String JOB_NAME = "batch.kubernetes.io/job-name";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Consumer<String> narrator;
  private final Path volumes;
  private final AtomicInteger spread = new AtomicInteger();

  /** A simulator of workload controllers, scheduler and kubelet that runs no Jobs. */
  public ClusterSimulator(KubernetesClient client, Consumer<String> narrator) {
    this(client, narrator, null);
  }

  /** As above, and walguard's journal-switch Jobs run for real on the volumes in {@code volumes}. */
  public ClusterSimulator(KubernetesClient client, Consumer<String> narrator, Path volumes) {
    this.client = client;
    this.narrator = narrator;
    this.volumes = volumes;
  }

  /** Brings every workload's Pods one step closer to its spec; returns whether anything changed. */
  public boolean step() {
    List<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted()
        .toList();
    if (nodes.isEmpty()) {
      return false;
    }
    boolean changed = false;
    for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      changed |= converge(d, d.getSpec().getTemplate(), replicas, nodes, false);
    }
    for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
      int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      changed |= converge(s, s.getSpec().getTemplate(), replicas, nodes, false);
    }
    for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().list().getItems()) {
      changed |= converge(ds, ds.getSpec().getTemplate(), 0, nodes, true);
    }
    if (volumes != null) {
      changed |= runJournalJobs(nodes);
    }
    return changed;
  }

  /** Gives each of walguard's journal-switch Jobs that has no pod yet its finished pod, from a real toolbox run. */
  private boolean runJournalJobs(List<String> nodes) {
    boolean changed = false;
    for (Job job : client.batch().v1().jobs().inAnyNamespace()
        .withLabels(Map.of(MANAGED_BY, "walguard", COMPONENT, ToolboxJob.JOURNAL)).list().getItems()) {
      String namespace = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      if (!client.pods().inNamespace(namespace).withLabel(JOB_NAME, name).list().getItems().isEmpty()) {
        continue;
      }
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      String node = ToolboxPod.node(pod).orElse(nodes.get(0));
      try {
        Path volume = ToolboxRun.volume(volumes, namespace, ToolboxRun.claim(pod));
        Path file = ToolboxRun.database(pod, volume);
        if (!Files.exists(file)) {
          // what the application wrote in WAL mode; it has let go of the file, as the switch needs
          ToolboxRun.applicationWrites(file, 50).close();
        }
        ToolboxRun.Result result = ToolboxRun.run(pod, volume);
        Pod finished = ToolboxRun.finishedPod(client, job, name + "-" + suffix(), node, result);
        narrator.accept("  [cluster] Job/" + name + ": pod " + finished.getMetadata().getName() + " on " + node
            + " ran `" + result.shown() + "` (exit " + result.exitCode() + "): " + message(result));
      } catch (IOException | SQLException e) {
        throw new IllegalStateException("cannot run Job " + namespace + "/" + name + ": " + e.getMessage(), e);
      }
      changed = true;
    }
    return changed;
  }

  private static String message(ToolboxRun.Result result) {
    try {
      return JSON.readTree(result.terminationMessage()).path("message").asText("(no message)");
    } catch (IOException e) {
      return "(no report)";
    }
  }

  private static String suffix() {
    return Long.toString(System.nanoTime() % 100000, 36);
  }

  private boolean converge(HasMetadata owner, PodTemplateSpec template, int replicas, List<String> nodes,
      boolean daemon) {
    String namespace = owner.getMetadata().getNamespace();
    String hash = hash(template);
    List<String> allowed = nodes.stream().filter(n -> schedulable(template, n)).toList();
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(p -> p.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> r.getUid().equals(owner.getMetadata().getUid())))
        .toList();
    // A rolling update: replace one Pod of an old template (or on a node it may no longer run on) per step.
    for (Pod pod : pods) {
      boolean stale = !hash.equals(pod.getMetadata().getAnnotations().get(TEMPLATE_HASH))
          || !allowed.contains(pod.getSpec().getNodeName());
      if (stale) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
        narrator.accept("  [cluster] " + owner.getKind() + "/" + owner.getMetadata().getName() + ": pod "
            + pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName() + " replaced by the rollout");
        return true;
      }
    }
    if (allowed.isEmpty()) {
      return false;
    }
    List<String> wanted = new ArrayList<>();
    if (daemon) {
      wanted.addAll(allowed);
    } else {
      for (int i = 0; i < replicas; i++) {
        wanted.add(allowed.get(Math.floorMod(spread.getAndIncrement(), allowed.size())));
      }
    }
    if (pods.size() > wanted.size()) {
      Pod extra = pods.get(pods.size() - 1);
      client.pods().inNamespace(namespace).withName(extra.getMetadata().getName()).delete();
      return true;
    }
    boolean changed = false;
    List<String> taken = new ArrayList<>(pods.stream().map(p -> p.getSpec().getNodeName()).toList());
    for (int i = pods.size(); i < wanted.size(); i++) {
      String node = daemon ? allowed.stream().filter(n -> !taken.contains(n)).findFirst().orElse(null)
          : wanted.get(i);
      if (node == null) {
        break;
      }
      taken.add(node);
      Pod pod = pod(owner, template, hash, node, owner instanceof StatefulSet ? String.valueOf(i) : null);
      try {
        client.pods().inNamespace(namespace).resource(pod).create();
      } catch (KubernetesClientException e) {
        // as a ReplicaSet controller reports FailedCreate (an admission refusal, say) and tries again later
        narrator.accept("  [cluster] " + owner.getKind() + "/" + owner.getMetadata().getName()
            + ": FailedCreate of a pod on " + node + ": " + refusal(e));
        return changed;
      }
      narrator.accept("  [cluster] " + owner.getKind() + "/" + owner.getMetadata().getName() + ": pod "
          + pod.getMetadata().getName() + " scheduled on " + node);
      changed = true;
    }
    return changed;
  }

  private static String refusal(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
    return message.length() > 160 ? message.substring(0, 157) + "..." : message;
  }

  private static Pod pod(HasMetadata owner, PodTemplateSpec template, String hash, String node, String ordinal) {
    String name = ordinal != null ? owner.getMetadata().getName() + "-" + ordinal
        : owner.getMetadata().getName() + "-" + hash.substring(0, 5) + "-" + Long.toString(System.nanoTime() % 100000, 36);
    return new PodBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(owner.getMetadata().getNamespace())
          .withLabels(template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels())
          .addToAnnotations(TEMPLATE_HASH, hash)
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
              .withKind(owner.getKind()).withName(owner.getMetadata().getName())
              .withUid(owner.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withSpec(template.getSpec())
        .editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").withStartTime(Instant.now().toString()).endStatus()
        .build();
  }

  /**
   * Whether the template's required placement allows the node (hostname and node-name terms only: the nodes here
   * have no other labels).
   */
  static boolean schedulable(PodTemplateSpec template, String node) {
    var spec = template.getSpec();
    if (spec.getNodeName() != null && !spec.getNodeName().equals(node)) {
      return false;
    }
    String selected = spec.getNodeSelector() == null ? null : spec.getNodeSelector().get("kubernetes.io/hostname");
    if (selected != null && !selected.equals(node)) {
      return false;
    }
    var required = Optional.ofNullable(spec.getAffinity()).map(a -> a.getNodeAffinity())
        .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution()).orElse(null);
    if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
      return true;
    }
    // Terms are ORed; the expressions of one term are ANDed.
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      boolean all = true;
      var requirements = new java.util.ArrayList<>(term.getMatchExpressions());
      requirements.addAll(term.getMatchFields());
      for (NodeSelectorRequirement r : requirements) {
        // The nodes here are named after their hostname label, so the label and the metadata.name field agree.
        if (!"kubernetes.io/hostname".equals(r.getKey()) && !"metadata.name".equals(r.getKey())) {
          continue;
        }
        boolean in = r.getValues() != null && r.getValues().contains(node);
        all &= switch (r.getOperator()) {
          case "In" -> in;
          case "NotIn" -> !in;
          default -> true;
        };
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  static String hash(PodTemplateSpec template) {
    try {
      byte[] json = io.fabric8.kubernetes.client.utils.Serialization.asJson(template.getSpec())
          .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Nodes for the simulated cluster, labelled as a kubelet labels them. */
  public static Node node(String name) {
    return new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
  }
}
