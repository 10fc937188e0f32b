package io.walguard.webhook;

/**
 * The JDK HTTP server reads its tuning from system properties once, when the first server of the JVM is created.
 * Without {@code sun.net.httpserver.nodelay} every small response waits about 40 ms for Nagle's algorithm, so these
 * must be set before any {@code HttpServer} exists: {@code walguard run} should call {@link #apply()} before it
 * starts its health server. Values the user set with {@code -D} are kept.
 */
public final class JdkHttpServerSettings {

  private JdkHttpServerSettings() {}

  public static void apply() {
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    // a request (headers and body) must arrive within 10 s and a response leave within 10 s: the API server gives
    // up after timeoutSeconds (3) anyway, and a slow client must not hold a worker
    setIfAbsent("sun.net.httpserver.maxReqTime", "10");
    setIfAbsent("sun.net.httpserver.maxRspTime", "10");
    setIfAbsent("jdk.httpserver.maxConnections", "1000");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
