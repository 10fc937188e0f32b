package io.walguard.compose;

import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the services that mount a database can run (DESIGN.md section 10). Plain Compose puts every container on one
 * Docker host. In a Swarm stack, replicas, {@code global} mode, {@code start-first} updates and several services
 * sharing the volume can put openers on several nodes, unless placement constraints hold each to the same node.
 */
final class ServicePlacement {

  private ServicePlacement() {}

  /** @param swarm why the file is read as a Swarm stack ({@code --swarm}, or a sign in it); empty for one host */
  static Placement of(ComposeClaim claim, List<ComposeService> openers, Optional<String> swarm) {
    return swarm.isPresent() ? swarm(claim, openers, swarm.get()) : oneHost(claim, openers);
  }

  private static Placement oneHost(ComposeClaim claim, List<ComposeService> services) {
    List<Opener> openers = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    if (services.isEmpty()) {
      reasons.add("no service mounts " + claim.describe());
    } else {
      reasons.add("docker compose runs " + refs(services) + " on one Docker host, so every container that opens "
          + claim.describe() + " shares its kernel; this stops being true once they run on more than one host (a"
          + " Swarm stack, or several hosts mounting the same share)");
    }
    for (ComposeService service : services) {
      List<String> own = new ArrayList<>();
      if (service.deploy().replicas() > 1) {
        own.add(service.ref() + ": " + service.deploy().replicas() + " containers (" + service.deploy().replicasField()
            + ": " + service.deploy().replicas() + "), all on that one host; if this file is deployed with docker"
            + " stack deploy, they can run on " + service.deploy().replicas() + " nodes: audit it with --swarm");
      }
      reasons.addAll(own);
      openers.add(new Opener("service", service.name(), null, true, null, false, false, own));
    }
    return new Placement(openers, false, reasons, List.of(), List.of(), Optional.empty(), true, false, false);
  }

  private static Placement swarm(ComposeClaim claim, List<ComposeService> services, String why) {
    List<Opener> openers = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    reasons.add("read as a Swarm stack, where services can run on several nodes: " + why);
    if (services.isEmpty()) {
      reasons.add("no service of the stack mounts " + claim.describe());
    }
    for (ComposeService service : services) {
      Opener opener = swarmOpener(service);
      openers.add(opener);
      reasons.addAll(opener.reasons());
    }
    boolean severalNodes = openers.stream().anyMatch(Opener::severalNodes);
    Optional<SwarmDeploy.NodePin> common = commonPin(services);
    if (services.size() > 1 && common.isEmpty()) {
      severalNodes = true;
      reasons.add(refs(services) + " share " + claim.describe() + ", and no placement constraint keeps them on the"
          + " same node (give each the same one, e.g. node.hostname == <node>)");
    } else if (services.size() > 1) {
      reasons.add(refs(services) + " are all constrained to " + common.get() + ": one node");
    }
    boolean allPinnable = openers.stream().allMatch(Opener::pinnable);
    return new Placement(openers, severalNodes, reasons, List.of(), List.of(),
        common.map(SwarmDeploy.NodePin::value), allPinnable, false, false);
  }

  private static Opener swarmOpener(ComposeService service) {
    SwarmDeploy deploy = service.deploy();
    Optional<SwarmDeploy.NodePin> pin = deploy.pin();
    String ref = service.ref();
    String reason;
    boolean several;
    if (deploy.global()) {
      several = pin.isEmpty();
      reason = pin.isEmpty() ? ref + ": deploy.mode " + deploy.mode() + " runs a task on every node of the swarm"
          : ref + ": deploy.mode " + deploy.mode() + ", held to one node by the placement constraint " + pin.get();
    } else if (pin.isPresent()) {
      several = false;
      reason = ref + ": the placement constraint " + pin.get() + " keeps its tasks on that one node";
    } else if (deploy.replicas() > 1) {
      several = true;
      reason = ref + ": " + deploy.replicas() + " replicas (" + deploy.replicasField() + ": " + deploy.replicas()
          + ") can run on "
          + deploy.replicas() + " different nodes, and no placement constraint keeps them on one";
    } else if (deploy.startFirstUpdate() != null) {
      several = true;
      reason = ref + ": " + deploy.startFirstUpdate() + " order start-first starts the new task before the old one"
          + " stops, and Swarm may place it on another node";
    } else {
      several = false;
      reason = ref + ": one task at a time (" + deploy.replicas() + (deploy.replicas() == 1 ? " replica" : " replicas")
          + ", updates stop the old task before starting the new one)";
    }
    // A global service cannot be pinned (that defeats it, as for a DaemonSet) unless it already is.
    boolean pinnable = !deploy.global() || pin.isPresent();
    return new Opener("service", service.name(), null, pinnable, pin.map(SwarmDeploy.NodePin::value).orElse(null),
        false, several, List.of(reason));
  }

  /** The node every service is constrained to, when there is one. */
  private static Optional<SwarmDeploy.NodePin> commonPin(List<ComposeService> services) {
    if (services.isEmpty()) {
      return Optional.empty();
    }
    return services.get(0).deploy().pins().stream()
        .filter(pin -> services.stream().allMatch(s -> s.deploy().pins().stream().anyMatch(pin::sameNode)))
        .findFirst();
  }

  private static String refs(List<ComposeService> services) {
    List<String> refs = services.stream().map(ComposeService::ref).toList();
    if (refs.size() == 1) {
      return refs.get(0);
    }
    return String.join(", ", refs.subList(0, refs.size() - 1)) + " and " + refs.get(refs.size() - 1);
  }
}
