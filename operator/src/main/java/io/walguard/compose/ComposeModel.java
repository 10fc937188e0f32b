package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Compose project as walguard reads it, after anchors, merges, interpolation, includes and {@code extends}: the
 * project name, the services, the named volumes and the databases named in {@code x-walguard}.
 *
 * @param swarmSign what in the files says they are a Swarm stack, where services can run on several nodes, or
 *     empty when nothing does
 * @param files every file read for the project, including those it includes and extends (absolute)
 */
record ComposeModel(String project, Map<String, ComposeService> services, Map<String, ComposeVolume> volumes,
    List<DeclaredDatabase> declared, Optional<String> swarmSign, Set<Path> files) {

  /** The names {@code docker stack deploy -c} files usually go by. */
  static final List<String> STACK_FILE_NAMES =
      List.of("docker-stack.yml", "docker-stack.yaml", "stack.yml", "stack.yaml");

  /**
   * What makes files a Swarm stack: a stack file's name, or what only {@code docker stack deploy} acts on. Replicas
   * alone are not a sign: plain Compose runs them all on one host.
   */
  private static Optional<String> swarmSign(List<Path> projectFiles, Map<String, ComposeService> services,
      Map<String, Field> networks) throws BadInputException {
    for (Path file : projectFiles) {
      if (file.getFileName() != null && STACK_FILE_NAMES.contains(file.getFileName().toString())) {
        return Optional.of("the file is named " + file.getFileName() + ", as files for docker stack deploy are");
      }
    }
    for (ComposeService service : services.values()) {
      SwarmDeploy deploy = service.deploy();
      String at = "services." + service.name() + ".deploy";
      if (deploy.hasPlacement()) {
        return Optional.of(at + ".placement is set");
      }
      if (deploy.global()) {
        return Optional.of(at + ".mode is " + deploy.mode());
      }
      if (deploy.updateConfig() != null) {
        return Optional.of(at + "." + deploy.updateConfig() + " is set, which only docker stack deploy acts on");
      }
    }
    for (Map.Entry<String, Field> network : networks.entrySet()) {
      Field settings = network.getValue();
      String driver = settings.isMap() ? settings.get("driver").text("a network driver such as overlay") : null;
      if ("overlay".equals(driver)) {
        return Optional.of("networks." + network.getKey() + " has driver overlay, a network that spans Swarm nodes");
      }
    }
    return Optional.empty();
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

  static ComposeModel read(String project, Field root, List<Path> projectFiles, Set<Path> files)
      throws BadInputException {
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
    Map<String, Field> networks = root.get("networks").entries("a mapping of network names to their settings");
    return new ComposeModel(project, services, volumes, DeclaredDatabase.readAll(root.get("x-walguard")),
        swarmSign(projectFiles, services, networks), Set.copyOf(files));
  }
}
