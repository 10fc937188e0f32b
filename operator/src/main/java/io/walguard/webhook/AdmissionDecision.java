package io.walguard.webhook;

import java.util.List;

/**
 * The webhook's answer to one request.
 *
 * @param allowed whether the API server may store the object
 * @param warnings shown by kubectl, each under 120 characters
 * @param message why the object is refused and what to change (only when not allowed)
 * @param overrideEvent the message of the Event recorded when {@code walguard.io/allow-unsafe} let an unsafe object
 *     through, or null
 */
public record AdmissionDecision(boolean allowed, List<String> warnings, String message, String overrideEvent) {

  public AdmissionDecision {
    warnings = List.copyOf(warnings);
  }

  private static final AdmissionDecision ALLOWED = new AdmissionDecision(true, List.of(), null, null);

  public static AdmissionDecision allow() {
    return ALLOWED;
  }

  public static AdmissionDecision allow(List<String> warnings) {
    return warnings.isEmpty() ? ALLOWED : new AdmissionDecision(true, warnings, null, null);
  }

  public static AdmissionDecision deny(String message, List<String> warnings) {
    return new AdmissionDecision(false, warnings, message, null);
  }

  public static AdmissionDecision overridden(List<String> warnings, String eventMessage) {
    return new AdmissionDecision(true, warnings, null, eventMessage);
  }
}
