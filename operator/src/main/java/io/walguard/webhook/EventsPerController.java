package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.walguard.core.Annotations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the objects of one controller from flooding a namespace with Events: the pods of a controller walguard does
 * not judge (an Argo Workflow, a Tekton PipelineRun) are admitted one by one, each with the same
 * {@code walguard.io/allow-unsafe} reason from its template. The first one records the Event; the others, within
 * the time Kubernetes keeps Events (an hour by default), only get their warnings. Objects without a controller pass
 * straight through.
 */
final class EventsPerController implements AdmissionEvents {

  /** kube-apiserver's default {@code --event-ttl}. */
  static final Duration WINDOW = Duration.ofHours(1);
  /** Controllers remembered at once; the oldest are forgotten first, which costs at most one Event more each. */
  private static final int REMEMBERED = 1024;

  private final AdmissionEvents events;
  private final Clock clock;
  private final Map<String, Instant> recorded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED;
    }
  };

  EventsPerController(AdmissionEvents events, Clock clock) {
    this.events = Objects.requireNonNull(events);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void allowedUnsafe(Admission admission, String message) {
    String key = controllerKey(admission);
    if (key != null) {
      Instant now = clock.instant();
      synchronized (recorded) {
        Instant last = recorded.get(key);
        if (last != null && now.isBefore(last.plus(WINDOW))) {
          return;
        }
        recorded.put(key, now);
      }
    }
    events.allowedUnsafe(admission, message);
  }

  /** The object's controller and override reason, or null when no controller made it. */
  private static String controllerKey(Admission admission) {
    HasMetadata object = admission.object();
    if (object == null || object.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
      if (owner != null && Boolean.TRUE.equals(owner.getController())) {
        String who = owner.getUid() != null && !owner.getUid().isEmpty() ? owner.getUid()
            : owner.getApiVersion() + "/" + owner.getKind() + "/" + owner.getName();
        return admission.namespace() + "\n" + admission.kind() + "\n" + who + "\n"
            + Mounts.annotation(object.getMetadata(), Annotations.ALLOW_UNSAFE);
      }
    }
    return null;
  }
}
