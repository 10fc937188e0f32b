package io.walguard.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the Helm chart lets the operator do, read from operator-permissions.yaml (which ChartRbacTest keeps equal to
 * the rendered ClusterRole and Roles), and the check of a recorded request against it. The mock API server enforces
 * no RBAC, so without this check a request a real cluster refuses (a collection DELETE without
 * {@code deletecollection}, a verb on a resource the chart never grants) passes every test.
 */
final class GrantedApi {

  /** One line of operator-permissions.yaml. */
  record Permission(String scope, String group, List<String> resources, List<String> names, List<String> verbs,
      String when) {}

  /** A request as RBAC sees it: API group, resource (with subresource), name, namespace and verb. */
  record Request(String group, String resource, String name, String namespace, String verb) {
    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + (name == null ? "" : "[" + name + "]")
          + (namespace == null ? " (cluster)" : " in " + namespace);
    }
  }

  /** Every authenticated user may review its own rights (Kubernetes' system:basic-user); leader election does. */
  private static final Set<String> ANYONE = Set.of("create authorization.k8s.io/selfsubjectrulesreviews",
      "create authorization.k8s.io/selfsubjectaccessreviews");

  private static final List<Permission> PERMISSIONS = read();

  private GrantedApi() {}

  /** The recorded calls the chart does not allow, each with why; empty when every call is granted. */
  static List<String> refused(Collection<MockCluster.Call> calls, Collection<String> operatorNamespaces) {
    List<String> refused = new ArrayList<>();
    for (MockCluster.Call call : calls) {
      Optional<Request> request = request(call.method(), call.path());
      if (request.isEmpty()) {
        refused.add(call.method() + " " + call.path() + ": not a Kubernetes API request");
      } else if (operatorNamespaces.stream().noneMatch(ns -> granted(request.get(), ns))) {
        refused.add(call.method() + " " + call.path() + ": " + request.get() + " is not granted by the chart");
      }
    }
    return refused.stream().distinct().toList();
  }

  static boolean granted(Request r, String operatorNamespace) {
    if (ANYONE.contains(r.verb() + " " + r.group() + "/" + r.resource())) {
      return true;
    }
    return PERMISSIONS.stream().anyMatch(p -> p.group().equals(r.group()) && p.resources().contains(r.resource())
        && p.verbs().contains(r.verb())
        && (p.names() == null || p.names().isEmpty() || (r.name() != null && p.names().contains(r.name())))
        && switch (p.scope()) {
          case "cluster" -> r.namespace() == null;
          case "self" -> operatorNamespace.equals(r.namespace());
          // the watched namespaces, or every namespace (the ClusterRole) when none are listed
          default -> true;
        });
  }

  /** Reads a request path as RBAC does: {@code /api/v1/...} or {@code /apis/<group>/<version>/...}. */
  static Optional<Request> request(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    }
    String resource = parts.get(0);
    String name = parts.size() > 1 ? parts.get(1) : null;
    if (parts.size() > 2) {
      resource = resource + "/" + parts.get(2);
    }
    boolean watch = Arrays.asList(query.split("&")).contains("watch=true");
    String verb = switch (method) {
      case "GET" -> name != null ? "get" : watch ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return Optional.of(new Request(group, resource, name, namespace, verb));
  }

  private static List<Permission> read() {
    try (InputStream in = GrantedApi.class.getResourceAsStream("/io/walguard/delivery/operator-permissions.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<List<Permission>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("cannot read operator-permissions.yaml", e);
    }
  }
}
