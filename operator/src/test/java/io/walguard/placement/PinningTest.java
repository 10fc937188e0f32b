package io.walguard.placement;

import static io.walguard.placement.Manifests.analyze;
import static io.walguard.placement.Manifests.daemonSet;
import static io.walguard.placement.Manifests.deployment;
import static io.walguard.placement.Manifests.job;
import static io.walguard.placement.Manifests.onHost;
import static io.walguard.placement.Manifests.pod;
import static io.walguard.placement.Manifests.requiredHosts;
import static io.walguard.placement.Manifests.runningPod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What can be pinned, where the openers are confined, and whether walguard's own pin is what keeps them together.
 *
 * <p>Bare Pods: walguard cannot patch a Pod, but a scheduled Pod stays on its node, so a bare Pod counts as pinnable
 * (walguard pins the other openers next to it). {@code allPinnable} is false only when what walguard does not change
 * holds the openers on different nodes: bare Pods on different nodes, more than one unscheduled bare Pod, or node
 * constraints the user wrote that disagree.
 */
class PinningTest {

  private static final String RECREATE = "strategy: {type: Recreate}";
  private static final String PINNED_A = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: %s, annotations:"
      + " {walguard.io/pinned-node: %s}}, spec: {strategy: {type: Recreate}, selector: {matchLabels: {app: %s}},"
      + " template: {metadata: {labels: {app: %s}}, spec: {%s, containers: [{name: app, image: example/app}],"
      + " volumes: [{name: db, persistentVolumeClaim: {claimName: data}}]}}}}";

  private static String walguardPinned(String name, String annotatedNode, String podConstraint) {
    return String.format(PINNED_A, name, annotatedNode, name, name, podConstraint);
  }

  record Expect(String name, List<String> manifests, List<Boolean> pinnable, boolean allPinnable,
      Optional<String> commonNode, boolean walguardPinned, boolean pinnedByWalguard) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Expect> cases() {
    return Stream.of(
        new Expect("a Deployment can be pinned", List.of(deployment("web", RECREATE, "")), List.of(true), true,
            Optional.empty(), false, false),
        new Expect("a Job can be pinned", List.of(job("migrate", "", "")), List.of(true), true, Optional.empty(), false,
            false),
        new Expect("a DaemonSet cannot be pinned", List.of(daemonSet("agent", "", "")), List.of(false), false,
            Optional.empty(), false, false),
        new Expect("a DaemonSet confined to one node is still not pinnable", List.of(daemonSet("agent", "",
            onHost("node-a"))), List.of(false), false, Optional.of("node-a"), false, false),
        new Expect("a Deployment next to a DaemonSet: not every opener can be pinned",
            List.of(deployment("web", RECREATE, ""), daemonSet("agent", "", "")), List.of(true, false), false,
            Optional.empty(), false, false),
        new Expect("a scheduled bare Pod needs no pin: walguard pins the rest next to it",
            List.of(deployment("web", RECREATE, ""), runningPod("shell", "", "node-a")), List.of(true, true), true,
            Optional.empty(), false, false),
        new Expect("one unscheduled bare Pod: walguard pins the rest to wherever it lands",
            List.of(deployment("web", RECREATE, ""), pod("shell", "", "", "phase: Pending")), List.of(true, true), true,
            Optional.empty(), false, false),
        new Expect("two unscheduled bare Pods can land on two nodes, and walguard cannot move them",
            List.of(pod("a", "", "", null), pod("b", "", "", null)), List.of(true, true), false, Optional.empty(),
            false, false),
        new Expect("bare Pods on two nodes cannot be brought together",
            List.of(runningPod("a", "", "node-a"), runningPod("b", "", "node-b")), List.of(true, true), false,
            Optional.empty(), false, false),
        new Expect("bare Pods on one node", List.of(runningPod("a", "", "node-a"), runningPod("b", "", "node-a")),
            List.of(true, true), true, Optional.of("node-a"), false, false),
        new Expect("workloads the user pinned to different nodes cannot be pinned to one",
            List.of(deployment("web", RECREATE, onHost("node-a")), deployment("api", RECREATE, onHost("node-b"))),
            List.of(true, true), false, Optional.empty(), false, false),
        new Expect("a user pin and walguard's pin to another node: walguard can move its own",
            List.of(deployment("web", RECREATE, onHost("node-a")),
                walguardPinned("api", "node-b", requiredHosts("node-b"))),
            List.of(true, true), true, Optional.empty(), true, false),
        new Expect("walguard's pin: the annotation and the node affinity name the same node",
            List.of(walguardPinned("web", "node-a", requiredHosts("node-a"))), List.of(true), true,
            Optional.of("node-a"), true, true),
        new Expect("the annotation without walguard's node affinity is not walguard's pin",
            List.of(walguardPinned("web", "node-a", onHost("node-a"))), List.of(true), true, Optional.of("node-a"),
            false, false),
        new Expect("the annotation naming another node than the affinity is not walguard's pin",
            List.of(walguardPinned("web", "node-b", requiredHosts("node-a"))), List.of(true), true,
            Optional.of("node-a"), false, false),
        new Expect("walguard pinned one workload next to one the user pinned: safe because of walguard",
            List.of(deployment("web", RECREATE, onHost("node-a")),
                walguardPinned("api", "node-a", requiredHosts("node-a"))),
            List.of(true, true), true, Optional.of("node-a"), true, true),
        new Expect("walguard pinned one of two workloads, the other floats: not pinned by walguard",
            List.of(deployment("web", RECREATE, ""), walguardPinned("api", "node-a", requiredHosts("node-a"))),
            List.of(true, true), true, Optional.empty(), true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pinning(Expect e) {
    Placement p = analyze(e.manifests().toArray(String[]::new));

    assertThat(p.openers()).extracting(Opener::pinnable).containsExactlyElementsOf(e.pinnable());
    assertThat(p.allPinnable()).as("allPinnable, reasons %s", p.reasons()).isEqualTo(e.allPinnable());
    assertThat(p.commonNode()).isEqualTo(e.commonNode());
    assertThat(p.openers().stream().anyMatch(Opener::walguardPinned)).as("walguardPinned")
        .isEqualTo(e.walguardPinned());
    assertThat(p.pinnedByWalguard()).as("pinnedByWalguard").isEqualTo(e.pinnedByWalguard());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("heldApart")
  void openersHeldApartAreNamedInTheReasons(String name, List<String> manifests, String reason) {
    Placement p = analyze(manifests.toArray(String[]::new));

    assertThat(p.allPinnable()).isFalse();
    assertThat(p.reasons()).contains(reason);
  }

  static Stream<Arguments> heldApart() {
    return Stream.of(
        Arguments.of("bare Pods on two nodes", List.of(runningPod("a", "", "node-a"), runningPod("b", "", "node-b")),
            "Pod/a on node-a, Pod/b on node-b: held on different nodes by what walguard does not change, so walguard"
                + " cannot pin them to one node"),
        Arguments.of("an unscheduled bare Pod and a user pin",
            List.of(deployment("web", RECREATE, onHost("node-a")), pod("shell", "", "", null)),
            "Deployment/web on node-a, Pod/shell (not scheduled yet): held on different nodes by what walguard does"
                + " not change, so walguard cannot pin them to one node"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pinnedNodes")
  void pinnedNodeIsTheOneNodeAnOpenerIsConfinedTo(String name, String manifest, String node) {
    assertThat(analyze(manifest).openers()).singleElement().extracting(Opener::pinnedNode).isEqualTo(node);
  }

  static Stream<Arguments> pinnedNodes() {
    return Stream.of(
        Arguments.of("nothing confines it", deployment("web", "", ""), null),
        Arguments.of("spec.nodeName", deployment("web", "", "nodeName: node-a"), "node-a"),
        Arguments.of("a hostname nodeSelector", deployment("web", "", onHost("node-b")), "node-b"),
        Arguments.of("a required node affinity", deployment("web", "", requiredHosts("node-c")), "node-c"),
        Arguments.of("spec.nodeName wins over a disagreeing nodeSelector",
            deployment("web", "", "nodeName: node-a, " + onHost("node-b")), "node-a"),
        Arguments.of("a pod affinity keeps pods together without naming the node",
            deployment("web", "", Manifests.podAffinity("web", "kubernetes.io/hostname")), null),
        Arguments.of("a bare Pod's node", runningPod("shell", "", "node-d"), "node-d"));
  }
}
