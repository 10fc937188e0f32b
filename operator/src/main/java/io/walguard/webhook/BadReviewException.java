package io.walguard.webhook;

/** A request body that is not a usable AdmissionReview: answered with 400 and this message. */
public final class BadReviewException extends Exception {
  public BadReviewException(String message) {
    super(message);
  }
}
