package io.walguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.walguard.api.CheckpointResult;
import io.walguard.api.ProbeResult;
import io.walguard.api.SqliteDatabase;
import io.walguard.jobs.CheckpointCronJob;
import io.walguard.jobs.ToolboxJob;
import io.walguard.storage.MountObservation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what walguard's toolbox pods reported: each one writes its JSON report (the {@code walguard sqlite ... -o
 * json} document) to its termination message, which the kubelet copies into
 * {@code status.containerStatuses[].state.terminated.message}. Pods need no API credentials for this.
 */
final class ToolboxResults {

  static final String DATABASE_LABEL = "walguard.io/database";
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One finished toolbox container: its pod, the node it ran on, when it finished and its parsed report. */
  record Finished(String pod, String job, String node, String component, Instant finishedAt, int exitCode, String reason,
      JsonNode report) {

    String text(String field) {
      JsonNode v = report == null ? null : report.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    Long number(String field) {
      JsonNode v = report == null ? null : report.get(field);
      return v == null || !v.isNumber() ? null : v.asLong();
    }
  }

  private ToolboxResults() {}

  /** The finished toolbox pods of a database with a given component label, newest first. */
  static List<Finished> finished(ClusterCaches caches, SqliteDatabase db, String component) {
    String ns = db.getMetadata().getNamespace();
    return caches.inNamespace(Pod.class, ns).stream()
        .filter(p -> isToolboxPod(p, db.getMetadata().getName(), component))
        .map(ToolboxResults::read)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Finished::finishedAt).reversed())
        .toList();
  }

  static boolean isToolboxPod(Pod pod, String database, String component) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && EventRecorder.COMPONENT.equals(labels.get(OptInWatcher.MANAGED_BY))
        && database.equals(labels.get(DATABASE_LABEL)) && component.equals(labels.get(COMPONENT_LABEL));
  }

  static Optional<Finished> read(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
      ContainerStateTerminated t = cs.getState() == null ? null : cs.getState().getTerminated();
      if (t == null) {
        continue;
      }
      Instant at = instant(t.getFinishedAt()).orElse(Instant.EPOCH);
      JsonNode report = parse(t.getMessage());
      return Optional.of(new Finished(pod.getMetadata().getName(), jobOf(pod), pod.getSpec() == null ? null
          : pod.getSpec().getNodeName(), pod.getMetadata().getLabels().get(COMPONENT_LABEL), at,
          t.getExitCode() == null ? 0 : t.getExitCode(), t.getReason(), report));
    }
    return Optional.empty();
  }

  /** The Job that ran the pod: its controller, or the labels the Job controller sets. */
  static String jobOf(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() != null) {
      for (var ref : pod.getMetadata().getOwnerReferences()) {
        if ("Job".equals(ref.getKind())) {
          return ref.getName();
        }
      }
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    String job = labels.get("batch.kubernetes.io/job-name");
    return job != null ? job : labels.get("job-name");
  }

  private static JsonNode parse(String message) {
    if (message == null || message.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(message);
      return node != null && node.isObject() ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  static Optional<Instant> instant(String time) {
    if (time == null || time.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Why a pod left no report: killed, out of memory, or a message that is not a toolbox report. */
  static String noReport(Finished f) {
    return "pod " + f.pod() + " ended with exit code " + f.exitCode()
        + (f.reason() == null ? "" : " (" + f.reason() + ")") + " and left no walguard report in its termination"
        + " message";
  }

  // ---- checkpoint -----------------------------------------------------------------------------------------------

  /** The newest checkpoint result, as {@code status.lastCheckpoint} holds it. */
  static Optional<CheckpointResult> newestCheckpoint(ClusterCaches caches, SqliteDatabase db) {
    return finished(caches, db, CheckpointCronJob.COMPONENT).stream().findFirst().map(ToolboxResults::checkpoint);
  }

  static CheckpointResult checkpoint(Finished f) {
    CheckpointResult r = new CheckpointResult();
    r.setTime(f.finishedAt().toString());
    r.setPod(f.pod());
    if (f.report() == null) {
      r.setError(noReport(f));
      return r;
    }
    r.setOutcome(f.text("outcome"));
    Long busy = f.number("busy");
    r.setBusy(busy == null ? null : busy.intValue());
    r.setLogFrames(f.number("logFrames"));
    r.setCheckpointedFrames(f.number("checkpointedFrames"));
    r.setWalBytesBefore(f.number("walBytesBefore"));
    r.setWalBytesAfter(f.number("walBytesAfter"));
    if ("error".equals(f.text("outcome"))) {
      r.setError(f.text("error") != null ? f.text("error") : f.text("message"));
    }
    return r;
  }

  /** Whether {@code candidate} finished after {@code current} (a result without a time is older than any). */
  static boolean newer(CheckpointResult candidate, CheckpointResult current) {
    if (current == null) {
      return true;
    }
    Instant c = instant(candidate.getTime()).orElse(Instant.EPOCH);
    Instant old = instant(current.getTime()).orElse(Instant.EPOCH);
    return c.isAfter(old);
  }

  // ---- journal mode --------------------------------------------------------------------------------------------

  static Optional<Finished> journal(ClusterCaches caches, SqliteDatabase db, String jobName) {
    return finished(caches, db, ToolboxJob.JOURNAL).stream()
        .filter(f -> jobName.equals(f.job()))
        .findFirst();
  }

  /** The journal mode the file's header showed after the switch: the target when rollback, wal when it stayed. */
  static Optional<String> journalModeAfter(Finished f) {
    String header = f.text("headerAfter");
    if ("rollback".equals(header)) {
      String target = f.text("target");
      return Optional.of(target == null ? "delete" : target.toLowerCase(Locale.ROOT));
    }
    if ("wal".equals(header)) {
      return Optional.of("wal");
    }
    return Optional.empty();
  }

  // ---- probe ---------------------------------------------------------------------------------------------------

  /** The newest probe that saw a mount. */
  static Optional<Finished> probe(ClusterCaches caches, SqliteDatabase db) {
    return finished(caches, db, ToolboxJob.PROBE).stream()
        .filter(f -> f.report() != null && f.text("fstype") != null)
        .findFirst();
  }

  /** What a probe ran for: the claim and the node, so a moved database is probed again. */
  static String target(String claim, String node) {
    return claim + "@" + (node == null || node.isBlank() ? "any" : node);
  }

  static ProbeResult probeResult(Finished f, String claim) {
    ProbeResult p = new ProbeResult();
    p.setFstype(f.text("fstype"));
    p.setSource(f.text("source"));
    p.setOptions(f.text("options"));
    p.setTarget(target(claim, f.node()));
    p.setTime(f.finishedAt().toString());
    return p;
  }

  static MountObservation mount(ProbeResult p) {
    return new MountObservation(p.getFstype(), p.getSource(), p.getOptions());
  }
}
