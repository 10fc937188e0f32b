package io.walguard.reconcile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz}, {@code /readyz} and {@code /metrics} (Prometheus text) on one port, with the JDK's server. */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  public HealthServer(int port, BooleanSupplier live, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", ex -> probe(ex, live));
    server.createContext("/readyz", ex -> probe(ex, ready));
    server.createContext("/metrics", ex -> {
      if (!"GET".equals(ex.getRequestMethod())) {
        reply(ex, 405, "text/plain", "method not allowed\n");
        return;
      }
      reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    });
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "walguard-health");
      t.setDaemon(true);
      return t;
    }));
  }

  public void start() {
    server.start();
  }

  /** The port actually bound (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, BooleanSupplier check) throws IOException {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    reply(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ok\n");
  }

  private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
