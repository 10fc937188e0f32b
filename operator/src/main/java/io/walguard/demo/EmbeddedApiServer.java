package io.walguard.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.net.URI;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationList;

/**
 * A Kubernetes API server in one JVM: the fabric8 mock server in CRUD mode (real HTTP, real watches, resource
 * versions and 409 conflicts), plus the discovery documents that {@code kubectl} needs before it sends a request.
 *
 * <p>It stores objects, serves watches and runs validating admission webhooks (for creates and updates, and for
 * server-side dry runs of creates, which it then does not store); it runs no controllers, scheduler or garbage
 * collector. That is what {@code walguard demo} and the e2e suite run against, and what they say they run against.
 */
public final class EmbeddedApiServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a request in protobuf is told, with the way round it. */
  static final String PROTOBUF_REFUSED = "the embedded API server reads JSON only and this kubectl command sent"
      + " protobuf; let kubectl build the object and create it as JSON, e.g. kubectl create job NAME"
      + " --from=cronjob/CRONJOB --dry-run=client -o json | kubectl create --validate=false -f -";

  /** group/version to resources (plural, kind, namespaced, short names), as a real API server would list them. */
  private static final Map<String, List<Resource>> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put("v1", List.of(
        new Resource("namespaces", "Namespace", false, "ns"),
        new Resource("pods", "Pod", true, "po"),
        new Resource("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
        new Resource("persistentvolumes", "PersistentVolume", false, "pv"),
        new Resource("events", "Event", true, "ev"),
        new Resource("secrets", "Secret", true),
        new Resource("configmaps", "ConfigMap", true, "cm"),
        new Resource("services", "Service", true, "svc"),
        new Resource("serviceaccounts", "ServiceAccount", true, "sa"),
        new Resource("nodes", "Node", false, "no")));
    RESOURCES.put("apps/v1", List.of(
        new Resource("deployments", "Deployment", true, "deploy"),
        new Resource("statefulsets", "StatefulSet", true, "sts"),
        new Resource("daemonsets", "DaemonSet", true, "ds"),
        new Resource("replicasets", "ReplicaSet", true, "rs")));
    RESOURCES.put("batch/v1", List.of(
        new Resource("jobs", "Job", true),
        new Resource("cronjobs", "CronJob", true, "cj")));
    RESOURCES.put("storage.k8s.io/v1", List.of(new Resource("storageclasses", "StorageClass", false, "sc")));
    RESOURCES.put("autoscaling/v2", List.of(
        new Resource("horizontalpodautoscalers", "HorizontalPodAutoscaler", true, "hpa")));
    RESOURCES.put("coordination.k8s.io/v1", List.of(new Resource("leases", "Lease", true)));
    RESOURCES.put("events.k8s.io/v1", List.of(new Resource("events", "Event", true, "ev")));
    RESOURCES.put("admissionregistration.k8s.io/v1", List.of(
        new Resource("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)));
    RESOURCES.put("apiextensions.k8s.io/v1", List.of(
        new Resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds")));
    RESOURCES.put("rbac.authorization.k8s.io/v1", List.of(
        new Resource("clusterroles", "ClusterRole", false),
        new Resource("clusterrolebindings", "ClusterRoleBinding", false),
        new Resource("roles", "Role", true),
        new Resource("rolebindings", "RoleBinding", true)));
    RESOURCES.put("policy/v1", List.of(new Resource("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb")));
    RESOURCES.put("walguard.io/v1alpha1", List.of(
        new Resource("sqlitedatabases", "SqliteDatabase", true, "sqlitedb")));
  }

  private final KubernetesMockServer server;
  private final DiscoveringDispatcher dispatcher;
  private final HttpClient http = HttpClient.newHttpClient();

  private EmbeddedApiServer(KubernetesMockServer server, DiscoveringDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  /** Starts a server on a free loopback port. */
  public static EmbeddedApiServer start() {
    return start(0);
  }

  public static EmbeddedApiServer start(int port) {
    DiscoveringDispatcher dispatcher = new DiscoveringDispatcher();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return new EmbeddedApiServer(server, dispatcher);
  }

  /**
   * Makes a webhook Service reachable: requests for {@code service.namespace:port} go to {@code target}
   * (e.g. {@code https://127.0.0.1:8443}), while the certificate is still checked against the Service's DNS name.
   */
  public EmbeddedApiServer routeService(String service, String namespace, int port, URI target) {
    dispatcher.routes.put(service + "." + namespace + ":" + port, target);
    return this;
  }

  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  /** A client for this server; the caller closes it. */
  public KubernetesClient client() {
    Config config = Config.empty();
    config.setMasterUrl(url());
    config.setNamespace("default");
    config.setTrustCerts(true);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Writes a kubeconfig for kubectl and for {@code walguard run --kubeconfig}. */
  public Path writeKubeconfig(Path file) throws IOException {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: walguard-embedded
          cluster:
            server: %s
        contexts:
        - name: walguard-embedded
          context:
            cluster: walguard-embedded
            user: walguard-embedded
            namespace: default
        current-context: walguard-embedded
        users:
        - name: walguard-embedded
          user:
            token: embedded
        """.formatted(url());
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, yaml);
    return file;
  }

  /** What the server answered to a create, as kubectl would show it. */
  public record Submitted(String kind, String namespace, String name, int code, String message,
      List<String> warnings) {
    public boolean created() {
      return code / 100 == 2;
    }
  }

  /**
   * Creates an object with a plain HTTP POST, as {@code kubectl create} does, so validating admission runs and its
   * warnings come back as {@code Warning} headers.
   */
  public Submitted create(JsonNode object) throws IOException, InterruptedException {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    String name = object.path("metadata").path("name").asText();
    String namespace = object.path("metadata").path("namespace").asText("default");
    Resource resource = RESOURCES.getOrDefault(apiVersion, List.of()).stream()
        .filter(r -> r.kind().equals(kind)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(apiVersion + " " + kind + " is not served here"));
    String base = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String path = base + (resource.namespaced() ? "/namespaces/" + namespace : "") + "/" + resource.plural();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(object)))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    List<String> warnings = response.headers().allValues("Warning").stream()
        .map(EmbeddedApiServer::warningText).toList();
    String message = response.statusCode() / 100 == 2 ? ""
        : JSON.readTree(response.body()).path("message").asText(response.body());
    return new Submitted(kind, resource.namespaced() ? namespace : null, name, response.statusCode(), message,
        warnings);
  }

  /** The text of a {@code 299 - "text"} warning header. */
  static String warningText(String header) {
    int open = header.indexOf('"');
    int close = header.lastIndexOf('"');
    String text = open >= 0 && close > open ? header.substring(open + 1, close) : header;
    return text.replace("\\\"", "\"").replace("\\\\", "\\");
  }

  @Override
  public void close() {
    server.destroy();
  }

  private record Resource(String plural, String kind, boolean namespaced, String... shortNames) {}

  /** The CRUD dispatcher, answering discovery requests itself and calling validating webhooks before it stores. */
  private static final class DiscoveringDispatcher extends KubernetesCrudDispatcher {

    final Map<String, URI> routes = new ConcurrentHashMap<>();
    private final AdmissionChain admission = new AdmissionChain(
        ignored -> list("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            ValidatingWebhookConfigurationList.class).getItems(),
        this::namespaceLabels,
        (service, port) -> {
          URI target = routes.get(service + ":" + port);
          if (target == null) {
            throw new IllegalStateException("service " + service + ":" + port + " is not routed");
          }
          return target;
        });

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse discovered = discoveryResponse(request);
      if (discovered != null) {
        return discovered;
      }
      MockResponse table = tableResponse(request);
      if (table != null) {
        return table;
      }
      String method = request.getMethod();
      if (String.valueOf(request.getHeader("Content-Type")).startsWith("application/vnd.kubernetes.protobuf")) {
        // The store reads JSON only, and a protobuf body it cannot parse would leave the client waiting for an
        // answer. kubectl sends protobuf for a few typed commands (create job --from=cronjob/...).
        return new MockResponse().setResponseCode(415).setHeader("Content-Type", "application/json")
            .setBody(JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("reason", "UnsupportedMediaType").put("code", 415).put("message", PROTOBUF_REFUSED).toString());
      }
      if (("POST".equals(method) || "PUT".equals(method))) {
        MockResponse refused = admit(request);
        if (refused != null) {
          return refused;
        }
        if ("POST".equals(method) && dryRun(request)) {
          // kubectl apply/create --dry-run=server: admission ran, nothing is stored, the object comes back
          MockResponse accepted = new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
              .setBody(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
          List<String> warnings = pendingWarnings.get();
          pendingWarnings.remove();
          if (warnings != null) {
            warnings.forEach(w -> accepted.addHeader("Warning", AdmissionChain.warningHeader(w)));
          }
          return accepted;
        }
      }
      if ("PATCH".equals(method) && String.valueOf(request.getHeader("Content-Type"))
          .startsWith("application/strategic-merge-patch+json")) {
        // The CRUD store has no strategic merge; kubectl apply on an existing object sends one. As a JSON merge
        // patch, lists are replaced instead of merged by key: close enough for the objects applied here.
        request = new RecordedRequest(request.getRequestLine(), request.getHeaders().newBuilder()
            .set("Content-Type", "application/merge-patch+json").build(), List.of(), request.getBody().size(),
            request.getBody(), 0, null);
      }
      MockResponse response = super.dispatch(request);
      List<String> warnings = pendingWarnings.get();
      pendingWarnings.remove();
      if (warnings != null) {
        warnings.forEach(w -> response.addHeader("Warning", AdmissionChain.warningHeader(w)));
      }
      return response;
    }

    private final ThreadLocal<List<String>> pendingWarnings = new ThreadLocal<>();

    /**
     * {@code kubectl get} of a custom resource asks for a Table; a real API server builds it from the CRD's
     * additionalPrinterColumns, and without one kubectl shows only NAME and AGE. Null for everything else (the store
     * answers with plain objects, which kubectl prints as NAME and AGE).
     */
    private MockResponse tableResponse(RecordedRequest request) {
      String accept = String.valueOf(request.getHeader("Accept"));
      if (!"GET".equals(request.getMethod()) || !accept.contains("as=Table") || request.getPath().contains("watch=")) {
        return null;
      }
      String path = request.getPath();
      int query = path.indexOf('?');
      Target target = Target.parse(query < 0 ? path : path.substring(0, query));
      if (target == null || target.group().isEmpty() || target.subresource() != null) {
        return null;
      }
      try {
        MockResponse crd = handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + target.resource()
            + "." + target.group());
        if (crd.code() != 200) {
          return null;
        }
        JsonNode columns = null;
        for (JsonNode version : JSON.readTree(crd.getBody().getBytes()).path("spec").path("versions")) {
          if (version.path("name").asText().equals(target.version())) {
            columns = version.path("additionalPrinterColumns");
          }
        }
        if (columns == null || !columns.isArray() || columns.isEmpty()) {
          return null;
        }
        MockResponse stored = super.dispatch(request);
        if (stored.code() != 200) {
          return stored;
        }
        JsonNode body = JSON.readTree(stored.getBody().getBytes());
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
            .setBody(JSON.writeValueAsString(PrinterColumns.table(columns, body, java.time.Instant.now())));
      } catch (IOException e) {
        return null;
      }
    }

    private static boolean dryRun(RecordedRequest request) {
      String path = request.getPath();
      int query = path.indexOf('?');
      return query >= 0 && java.util.Arrays.asList(path.substring(query + 1).split("&")).contains("dryRun=All");
    }

    /** Runs validating admission; returns the error response when a webhook denies, else null. */
    private MockResponse admit(RecordedRequest request) {
      String path = request.getPath();
      int query = path.indexOf('?');
      Target target = Target.parse(query < 0 ? path : path.substring(0, query));
      if (target == null || target.subresource() != null) {
        return null;
      }
      try {
        JsonNode object = JSON.readTree(request.getBody().getBytes());
        JsonNode old = null;
        String operation = "CREATE";
        if ("PUT".equals(request.getMethod())) {
          operation = "UPDATE";
          MockResponse current = handleGet(target.path());
          if (current.code() == 200) {
            old = JSON.readTree(current.getBody().getBytes());
          }
        }
        String namespace = target.namespace() != null ? target.namespace()
            : object.path("metadata").path("namespace").asText(null);
        var outcome = admission.admit(new AdmissionChain.Attempt(operation, target.group(), target.version(),
            target.resource(), namespace, object, old, dryRun(request)));
        if (outcome.denial() != null) {
          ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
              .put("status", "Failure").put("message", outcome.denial()).put("reason", "BadRequest")
              .put("code", outcome.code());
          MockResponse refused = new MockResponse().setResponseCode(outcome.code())
              .setHeader("Content-Type", "application/json").setBody(JSON.writeValueAsString(status));
          outcome.warnings().forEach(w -> refused.addHeader("Warning", AdmissionChain.warningHeader(w)));
          return refused;
        }
        if (!outcome.warnings().isEmpty()) {
          pendingWarnings.set(outcome.warnings());
        }
        return null;
      } catch (IOException e) {
        return null; // not JSON: let the store answer as it would
      }
    }

    private Map<String, String> namespaceLabels(String namespace) {
      MockResponse response = handleGet("/api/v1/namespaces/" + namespace);
      if (response.code() != 200) {
        return Map.of();
      }
      try {
        Namespace ns = JSON.readValue(response.getBody().getBytes(), Namespace.class);
        return ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
      } catch (IOException e) {
        return Map.of();
      }
    }

    private <T> T list(String path, Class<T> type) {
      try {
        return JSON.readValue(handleGet(path).getBody().getBytes(), type);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The resource a request path names. */
    private record Target(String group, String version, String resource, String namespace, String name,
        String subresource, String path) {

      static Target parse(String path) {
        String[] parts = path.split("/");
        int i;
        String group;
        String version;
        if (parts.length >= 3 && parts[1].equals("api")) {
          group = "";
          version = parts[2];
          i = 3;
        } else if (parts.length >= 4 && parts[1].equals("apis")) {
          group = parts[2];
          version = parts[3];
          i = 4;
        } else {
          return null;
        }
        String namespace = null;
        if (parts.length > i + 2 && parts[i].equals("namespaces")) {
          namespace = parts[i + 1];
          i += 2;
        }
        if (parts.length <= i) {
          return null;
        }
        String resource = parts[i];
        String name = parts.length > i + 1 ? parts[i + 1] : null;
        String sub = parts.length > i + 2 ? parts[i + 2] : null;
        return new Target(group, version, resource, namespace, name, sub, path);
      }
    }

    /** Discovery documents and the absence of OpenAPI, answered here; null for everything the store answers. */
    private static MockResponse discoveryResponse(RecordedRequest request) {
      if (!"GET".equals(request.getMethod())) {
        return null;
      }
      String path = request.getPath();
      int query = path.indexOf('?');
      String bare = query < 0 ? path : path.substring(0, query);
      if (bare.startsWith("/openapi/")) {
        // No OpenAPI documents: kubectl must be run with --validate=false, and the operator's own checks rule.
        return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}");
      }
      String body = discovery(bare);
      return body == null ? null
          : new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String discovery(String path) {
      try {
        if (path.equals("/version")) {
          // Helm checks a chart's kubeVersion against this.
          return JSON.writeValueAsString(JSON.createObjectNode().put("major", "1").put("minor", "32")
              .put("gitVersion", "v1.32.0").put("platform", "linux/amd64"));
        }
        if (path.equals("/api")) {
          ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
          versions.putArray("versions").add("v1");
          versions.putArray("serverAddressByClientCIDRs");
          return JSON.writeValueAsString(versions);
        }
        if (path.equals("/apis")) {
          ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
          ArrayNode groups = list.putArray("groups");
          Map<String, String> seen = new LinkedHashMap<>();
          RESOURCES.keySet().stream().filter(gv -> gv.contains("/"))
              .forEach(gv -> seen.putIfAbsent(gv.substring(0, gv.indexOf('/')), gv));
          seen.forEach((group, gv) -> {
            ObjectNode g = groups.addObject().put("name", group);
            ObjectNode version = JSON.createObjectNode().put("groupVersion", gv)
                .put("version", gv.substring(gv.indexOf('/') + 1));
            g.putArray("versions").add(version);
            g.set("preferredVersion", version);
          });
          return JSON.writeValueAsString(list);
        }
        String gv = path.startsWith("/api/") ? path.substring("/api/".length())
            : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
        if (gv == null || !RESOURCES.containsKey(gv)) {
          return null;
        }
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
            .put("groupVersion", gv);
        ArrayNode resources = list.putArray("resources");
        for (Resource r : RESOURCES.get(gv)) {
          ObjectNode node = resources.addObject().put("name", r.plural()).put("singularName", "")
              .put("namespaced", r.namespaced()).put("kind", r.kind());
          ArrayNode verbs = node.putArray("verbs");
          List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
              .forEach(verbs::add);
          if (r.shortNames().length > 0) {
            ArrayNode shorts = node.putArray("shortNames");
            for (String s : r.shortNames()) {
              shorts.add(s);
            }
          }
        }
        return JSON.writeValueAsString(list);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
