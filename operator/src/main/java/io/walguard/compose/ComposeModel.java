package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Compose project as walguard reads it, after anchors, merges, interpolation, includes and {@code extends}: the
 * project name, the services, the named volumes and the databases named in {@code x-walguard}.
 */
record ComposeModel(String project, Map<String, ComposeService> services, Map<String, ComposeVolume> volumes,
    List<DeclaredDatabase> declared) {

  /**
   * Whether this is a Swarm stack, where services can run on several nodes: any service with
   * {@code deploy.placement} or a {@code global} mode. Replicas alone are not a sign: plain Compose runs them all on
   * one host.
   */
  boolean swarmStack() {
    return services.values().stream().anyMatch(s -> s.deploy().hasPlacement() || s.deploy().global());
  }

  /** A service's own mounts and those it takes from other services with {@code volumes_from}, transitively. */
  List<ServiceMount> mountsOf(ComposeService service) {
    List<ServiceMount> mounts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<ComposeService> todo = new ArrayDeque<>(List.of(service));
    while (!todo.isEmpty()) {
      ComposeService next = todo.pop();
      if (seen.add(next.name())) {
        mounts.addAll(next.mounts());
        next.volumesFrom().stream().map(services::get).filter(Objects::nonNull).forEach(todo::add);
      }
    }
    return mounts;
  }

  static ComposeModel read(String project, Field root) throws BadInputException {
    Map<String, ComposeVolume> volumes = new LinkedHashMap<>();
    for (Map.Entry<String, Field> entry : root.get("volumes")
        .entries("a mapping of volume names to their settings").entrySet()) {
      volumes.put(entry.getKey(), ComposeVolume.read(entry.getKey(), entry.getValue()));
    }
    Map<String, ComposeService> services = new LinkedHashMap<>();
    for (Map.Entry<String, Field> entry : root.get("services")
        .entries("a mapping of service names to their definitions").entrySet()) {
      services.put(entry.getKey(), ComposeService.read(entry.getKey(), entry.getValue()));
    }
    for (ComposeService service : services.values()) {
      for (ServiceMount mount : service.mounts()) {
        if (mount.kind() == ServiceMount.Kind.volume && mount.source() != null
            && !volumes.containsKey(mount.source())) {
          throw mount.field().fail("mounts volume " + Quoted.quoted(mount.source()) + ", which is not declared",
              "declare it under the top-level volumes: (Compose refuses undeclared named volumes), or write ./"
                  + mount.source() + " for a directory beside the Compose file");
        }
      }
      for (String from : service.volumesFrom()) {
        if (!services.containsKey(from)) {
          throw service.volumesFromField().fail("names service " + Quoted.quoted(from) + ", which is not defined",
              "name a service of this file, or write container:<name> for a container outside it");
        }
      }
    }
    return new ComposeModel(project, services, volumes, DeclaredDatabase.readAll(root.get("x-walguard")));
  }
}
