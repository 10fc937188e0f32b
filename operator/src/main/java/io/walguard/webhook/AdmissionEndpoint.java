package io.walguard.webhook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /validate}: the HTTP side of the webhook. Bad input gets a 4xx with a message, never a 5xx; a failure
 * while judging admits the object with a warning (the webhook fails open, as its failurePolicy Ignore says) and is
 * logged. Every request takes its share of the {@link InFlightBytes} budget: its body before it is read, the model
 * objects it will read before they are built.
 */
final class AdmissionEndpoint implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionEndpoint.class);
  static final String PATH = "/validate";

  private final AdmissionReviews reviews;
  private final Function<Admission, AdmissionDecision> judge;
  private final AdmissionEvents events;
  private final int maxBodyBytes;
  private final InFlightBytes budget;

  AdmissionEndpoint(AdmissionReviews reviews, Function<Admission, AdmissionDecision> judge, AdmissionEvents events,
      int maxBodyBytes, InFlightBytes budget) {
    this.reviews = reviews;
    this.judge = judge;
    this.events = events;
    this.maxBodyBytes = maxBodyBytes;
    this.budget = budget;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (Thread.currentThread() instanceof WebhookServer.OverflowThread) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        exchange.getResponseHeaders().set("Connection", "close");
        status(exchange, 503, "walguard webhook is busy: too many requests at once; retry");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        status(exchange, 405, "use POST with an AdmissionReview");
        return;
      }
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        status(exchange, 404, "no such path: the webhook listens on " + PATH);
        return;
      }
      readAndAnswer(exchange);
    } catch (IOException e) {
      LOG.debug("webhook client went away: {}", e.toString());
    } finally {
      exchange.close();
    }
  }

  /** An HTTP status and body. */
  record Reply(int status, byte[] body) {}

  private static final String BUSY = "walguard webhook is busy with other large requests; retry";

  /**
   * Everything after HTTP: 200 with an AdmissionReview response, 400 with a Status that says what is wrong, or,
   * when the objects in the body cannot be read within the budget, 429 (not now) or 413 (never).
   */
  Reply process(byte[] body) {
    AdmissionReviews.Envelope envelope;
    try {
      envelope = reviews.scan(body);
    } catch (BadReviewException e) {
      return new Reply(400, statusJson(400, e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      return unreadable(e);
    }
    long modelBytes = envelope.modelBytes();
    if (!budget.fits(modelBytes)) {
      return new Reply(413, statusJson(413, "the objects in this AdmissionReview are too large to judge within "
          + budget.capacity() + " bytes"));
    }
    Admission admission;
    try (InFlightBytes.Reservation held = modelBytes == 0 ? null : budget.tryReserve(modelBytes)) {
      if (modelBytes > 0 && held == null) {
        return new Reply(429, statusJson(429, BUSY));
      }
      try {
        admission = reviews.admission(body, envelope);
      } catch (BadReviewException e) {
        return new Reply(400, statusJson(400, e.getMessage()));
      } catch (RuntimeException | StackOverflowError e) {
        return unreadable(e);
      }
      AdmissionDecision decision = decide(admission);
      try {
        return new Reply(200, reviews.write(admission.uid(), decision));
      } catch (RuntimeException e) {
        LOG.error("cannot write the answer for {} {} (uid {}): admitted unchecked", admission.kind(),
            admission.name(), admission.uid(), e);
        return new Reply(200, reviews.write(admission.uid(),
            AdmissionDecision.allow(java.util.List.of(WarningText.failedOpen(admission.kind(), admission.name())))));
      }
    }
  }

  /** A model deserializer failing in a way the reader does not expect: still the input's fault. */
  private static Reply unreadable(Throwable e) {
    LOG.warn("unreadable AdmissionReview: {}", e.toString());
    return new Reply(400, statusJson(400, "request body cannot be read as an AdmissionReview: "
        + Text.firstLine(e.getMessage())));
  }

  /** The decision, or, when judging fails, an admission with a warning. */
  AdmissionDecision decide(Admission admission) {
    AdmissionDecision decision;
    try {
      decision = judge.apply(admission);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("cannot judge {} {}/{} (uid {}): admitted unchecked", admission.kind(), admission.namespace(),
          admission.name(), admission.uid(), e);
      return AdmissionDecision.allow(java.util.List.of(WarningText.failedOpen(admission.kind(), admission.name())));
    }
    if (decision.overrideEvent() != null) {
      try {
        events.allowedUnsafe(admission, decision.overrideEvent());
      } catch (RuntimeException e) {
        LOG.warn("cannot queue the allow-unsafe Event for {} {}: {}", admission.kind(), admission.name(),
            e.toString());
      }
    }
    return decision;
  }

  /**
   * Reads the body within the budget (its declared length, or the most a body may be when it comes chunked) and
   * answers it; a body over the limit gets 413, one the budget cannot hold now 429.
   */
  private void readAndAnswer(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        status(exchange, 400, "Content-Length is not a number");
        return;
      }
    }
    InputStream in = exchange.getRequestBody();
    if (declared > maxBodyBytes) {
      if (declared <= drainLimit()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      tooLarge(exchange);
      return;
    }
    try (InFlightBytes.Reservation held = budget.tryReserve(declared >= 0 ? declared : maxBodyBytes)) {
      if (held == null) {
        // read and drop the body, as for a 413, so that the client gets to read the answer
        drain(in, drainLimit());
        exchange.getResponseHeaders().set("Connection", "close");
        respond(exchange, 429, statusJson(429, BUSY));
        return;
      }
      byte[] body = readBody(in, declared, exchange);
      if (body != null) {
        Reply reply = process(body);
        respond(exchange, reply.status(), reply.body());
      }
    }
  }

  /** The body, or null after answering 400 or 413. */
  private byte[] readBody(InputStream in, long declared, HttpExchange exchange) throws IOException {
    if (declared >= 0) {
      byte[] body = in.readNBytes((int) declared);
      if (body.length < declared) {
        status(exchange, 400, "request body ended before its Content-Length");
        return null;
      }
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > maxBodyBytes) {
        drain(in, drainLimit() - out.size() - n);
        tooLarge(exchange);
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * How much of an oversized body is read and thrown away so that the client, still sending, gets to read the 413
   * (HTTP/1.1 clients often do not read a response before they finished the request); beyond it the connection is
   * closed without reading.
   */
  private long drainLimit() {
    return 4L * maxBodyBytes;
  }

  private static void drain(InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[16384];
    long left = limit;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private void tooLarge(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    status(exchange, 413, "request body larger than " + maxBodyBytes + " bytes");
  }

  /** A Kubernetes Status document: what the API server logs for a webhook call that failed. */
  private static void status(HttpExchange exchange, int code, String message) throws IOException {
    respond(exchange, code, statusJson(code, message));
  }

  private static byte[] statusJson(int code, String message) {
    String json = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + jsonString(message) + ",\"code\":" + code + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (code == 429) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String jsonString(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(Text.clean(s, 2000))) + "\"";
  }
}
