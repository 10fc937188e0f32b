package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fabric8 mock API server in CRUD mode (real HTTP, watches, resourceVersions and 409 conflicts) with the
 * SqliteDatabase CRD installed, a record of every request, and hooks that let a test step into a request: answer it
 * itself, or act as a user just before walguard's write lands.
 */
final class MockCluster implements AutoCloseable {

  /**
   * One request as the server saw it.
   *
   * @param agent the client's User-Agent, which tells the operator's requests from the test's own
   */
  record Call(String method, String path, String body, String agent) {}

  private record Hook(Predicate<RecordedRequest> when, Function<RecordedRequest, MockResponse> then, boolean once) {}

  // The mock web server logs every request through java.util.logging; held here so the level sticks.
  private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final Dispatcher recording;
  private volatile KubernetesMockServer server;
  private final KubernetesMixedDispatcher inner;
  private final List<Consumer<WebSocket>> watchObservers = new CopyOnWriteArrayList<>();
  private volatile long expiredBefore;

  /** The ERROR event a real API server sends on a watch it cannot resume: the client must list again. */
  static final String WATCH_EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":"
      + "\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version\","
      + "\"reason\":\"Expired\",\"code\":410}}";
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private final KubernetesClient client;

  private MockCluster() {
    inner = new KubernetesMixedDispatcher(responses);
    recording = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (resumesFromBefore(request.getPath(), expiredBefore)) {
          return expiredWatch();
        }
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        calls.add(new Call(request.getMethod(), request.getPath(), new String(body, StandardCharsets.UTF_8),
            request.getHeader("User-Agent")));
        for (Hook hook : hooks) {
          if (hook.when().test(request)) {
            if (hook.once()) {
              hooks.remove(hook);
            }
            MockResponse response = hook.then().apply(request);
            if (response != null) {
              return response;
            }
            break;
          }
        }
        return observed(inner.dispatch(request));
      }
    };
    server = serve(0);
    client = newClient();
    client.apiextensions().v1().customResourceDefinitions().load(crd().toFile()).create();
  }

  private KubernetesMockServer serve(int port) {
    KubernetesMockServer s = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
        responses, recording, false);
    s.init(InetAddress.getLoopbackAddress(), port);
    return s;
  }

  /** A watch that resumes from a resourceVersion older than {@code expiredBefore}. */
  static boolean resumesFromBefore(String path, long expiredBefore) {
    if (expiredBefore == 0 || !path.contains("watch=true")) {
      return false;
    }
    var rv = java.util.regex.Pattern.compile("[?&]resourceVersion=(\\d+)").matcher(path);
    return rv.find() && Long.parseLong(rv.group(1)) < expiredBefore;
  }

  static MockResponse expiredWatch() {
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket ws, Response response) {
        ws.send(WATCH_EXPIRED);
        ws.close(1000, "watch expired");
      }
    });
  }

  /** A watch's listener wrapped so that observers see each watch connection the server opens. */
  private MockResponse observed(MockResponse response) {
    WebSocketListener listener = response.getWebSocketListener();
    if (listener == null || watchObservers.isEmpty()) {
      return response;
    }
    return response.withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket ws, Response r) {
        listener.onOpen(ws, r);
        watchObservers.forEach(o -> o.accept(ws));
      }

      @Override
      public void onMessage(WebSocket ws, String text) {
        listener.onMessage(ws, text);
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        listener.onClosing(ws, code, reason);
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        listener.onClosed(ws, code, reason);
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response r) {
        listener.onFailure(ws, t, r);
      }
    });
  }

  /** The generated CRD, from the operator module (tests) or the repository root (the benchmark). */
  static Path crd() {
    Path fromModule = Path.of("../crd/sqlitedatabases.walguard.io-v1.yml");
    return java.nio.file.Files.exists(fromModule) ? fromModule : Path.of("crd/sqlitedatabases.walguard.io-v1.yml");
  }

  static MockCluster start() {
    return new MockCluster();
  }

  /** The client a test uses as "the user". */
  KubernetesClient client() {
    return client;
  }

  /** Another client (e.g. for a second operator process); closed with the cluster. */
  KubernetesClient newClient() {
    KubernetesClient c = server.createClient();
    clients.add(c);
    return c;
  }

  /** Another client that announces itself with its own User-Agent, so hooks can tell its requests apart. */
  KubernetesClient newClient(String userAgent) {
    var config = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withUserAgent(userAgent)
        .build();
    KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    clients.add(c);
    return c;
  }

  /** Calls {@code observer} with every watch connection opened from now on (server side). */
  void observeWatches(Consumer<WebSocket> observer) {
    watchObservers.add(observer);
  }

  /** Lets a request reach the CRUD store, for a hook that answers after the write landed. */
  MockResponse forward(RecordedRequest request) {
    return observed(inner.dispatch(request));
  }

  /**
   * Stops the HTTP server (every connection and watch drops, requests are refused) and starts it again on the same
   * port after {@code down}, with the stored objects kept, as an API server restart in front of a lasting etcd.
   */
  void restart(java.time.Duration down) throws InterruptedException {
    int port = server.getPort();
    server.destroy();
    Thread.sleep(down.toMillis());
    // The mock cannot replay a watch from a resourceVersion (it sends every object as ADDED and forgets deletions),
    // so every watch from before the restart is expired, as a real API server may do: clients list again.
    var marker = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
        .withName("apiserver-restart-" + System.nanoTime()).withNamespace("default").endMetadata().build();
    String stored = direct("POST", "/api/v1/namespaces/default/configmaps", "application/json",
        Serialization.asJson(marker)).getBody().readUtf8();
    if (!stored.contains("\"resourceVersion\"")) {
      throw new IllegalStateException("the restart marker was not stored: " + stored);
    }
    expiredBefore = Long.parseLong(Serialization.unmarshal(stored, io.fabric8.kubernetes.api.model.ConfigMap.class)
        .getMetadata().getResourceVersion());
    server = serve(port);
  }

  KubernetesMockServer server() {
    return server;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Writes (PATCH or PUT) to a SqliteDatabase's status subresource. */
  long statusWrites(String namespace, String name) {
    String path = "/apis/walguard.io/v1alpha1/namespaces/" + namespace + "/sqlitedatabases/" + name + "/status";
    return calls.stream().filter(c -> (c.method().equals("PATCH") || c.method().equals("PUT"))
        && c.path().startsWith(path)).count();
  }

  /** Requests that changed anything (not GET, not watches). */
  List<Call> writes() {
    return calls.stream().filter(c -> !c.method().equals("GET")).toList();
  }

  /** Answers (or lets through, when {@code then} returns null) the first request that matches. */
  void once(Predicate<RecordedRequest> when, Function<RecordedRequest, MockResponse> then) {
    hooks.add(new Hook(when, then, true));
  }

  void always(Predicate<RecordedRequest> when, Function<RecordedRequest, MockResponse> then) {
    hooks.add(new Hook(when, then, false));
  }

  /** Sends a request straight to the CRUD store, as another client would, from inside a hook. */
  MockResponse direct(String method, String path, String contentType, String body) {
    var request = new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method), path,
        Headers.builder().add("Content-Type", contentType).build(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    return inner.dispatch(request);
  }

  /** Leader election checks its rights with a SelfSubjectRulesReview, which the CRUD mock cannot answer. */
  void allowLeases() {
    var review = new SelfSubjectRulesReviewBuilder()
        .withNewStatus()
            .withIncomplete(false)
            .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                .withResources("leases").withVerbs("get", "create", "update").build())
        .endStatus()
        .build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  static MockResponse status(int code, String reason, String message) {
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
        + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    return new MockResponse().setResponseCode(code).setBody(body);
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    server.destroy();
  }
}
