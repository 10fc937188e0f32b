package io.walguard.webhook;

/** Records the Events the webhook owes: one each time {@code walguard.io/allow-unsafe} lets an unsafe object in. */
@FunctionalInterface
public interface AdmissionEvents {

  /** Must return at once: the API server is waiting for the admission response. */
  void allowedUnsafe(Admission admission, String message);

  static AdmissionEvents none() {
    return (admission, message) -> {};
  }
}
