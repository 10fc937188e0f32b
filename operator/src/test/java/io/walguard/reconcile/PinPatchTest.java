package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PinPatchTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode apply(JsonNode target, ArrayNode ops) {
    return JsonPatch.apply(ops, target);
  }

  /** The object as the API server stores it: an empty annotation map is no map (Kubernetes omits empty maps). */
  static JsonNode stored(JsonNode object) {
    JsonNode copy = object.deepCopy();
    JsonNode annotations = copy.path("metadata").path("annotations");
    if (annotations.isObject() && annotations.isEmpty()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) copy.path("metadata")).remove("annotations");
    }
    return copy;
  }

  static JsonNode deployment(String affinityYaml) {
    String base = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app, namespace: shop}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: shop}}
            spec:
              containers: [{name: app, image: shop:1}]
        """;
    JsonNode d = yaml(base);
    if (affinityYaml != null) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) d.at("/spec/template/spec")).set("affinity", yaml(affinityYaml));
    }
    return d;
  }

  static Stream<Arguments> userAffinities() {
    return Stream.of(
        Arguments.of("no affinity at all", null),
        Arguments.of("pod anti-affinity only", """
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 10
                podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: shop}}}
            """),
        Arguments.of("preferred node affinity only", """
            nodeAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 1
                preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}
            """),
        Arguments.of("two ORed zone terms", """
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}]
                - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}, {key: arch, operator: Exists}]
            """),
        Arguments.of("a term with matchFields only", """
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchFields: [{key: metadata.name, operator: NotIn, values: [node-z]}]
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("userAffinities")
  void pinConstrainsEveryTermAndUnpinRestoresTheOriginalExactly(String description, String affinity) {
    JsonNode original = deployment(affinity);

    PinPatch.Plan plan = PinPatch.pin(original, "Deployment", "node-a", "db", false);
    JsonNode pinned = apply(original, plan.ops());

    assertThat(plan.change()).isEqualTo(PinPatch.Change.PINNED);
    JsonNode terms = pinned.at("/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms");
    assertThat(terms.size()).isPositive();
    // Terms are ORed: every one of them must carry the hostname requirement, or the scheduler could pick another.
    terms.forEach(term -> assertThat(term.path("matchExpressions")).anyMatch(e -> PinPatch.isExpressionFor(e, "node-a")));
    assertThat(pinned.at("/metadata/annotations/walguard.io~1pinned-node").asText()).isEqualTo("node-a");

    JsonNode userPart = original.at("/spec/template/spec/affinity");
    userPart.fieldNames().forEachRemaining(field -> {
      if (!field.equals("nodeAffinity")) {
        assertThat(pinned.at("/spec/template/spec/affinity").get(field)).isEqualTo(userPart.get(field));
      }
    });
    assertThat(pinned.at("/spec/template/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution"))
        .isEqualTo(userPart.at("/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution"));

    PinPatch.Removal removal = PinPatch.unpin(pinned, "Deployment", "db");
    assertThat(stored(apply(pinned, removal.ops()))).isEqualTo(original);
    assertThat(removal.termRemoved()).isTrue();
  }

  @Test
  void userTermsKeepTheirExpressionsAndGainOnlyTheHostname() {
    JsonNode original = deployment("""
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}]
            - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}]
        """);

    JsonNode pinned = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", false).ops());

    assertThat(pinned.at("/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"))
        .isEqualTo(yaml("""
            nodeSelectorTerms:
            - matchExpressions:
              - {key: topology.kubernetes.io/zone, operator: In, values: [zone-a]}
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
            - matchExpressions:
              - {key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}
              - {key: kubernetes.io/hostname, operator: In, values: [node-a]}
            """));
  }

  @Test
  void pinningTwiceChangesNothing() {
    JsonNode original = deployment(null);
    JsonNode pinned = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", true).ops());

    PinPatch.Plan again = PinPatch.pin(pinned, "Deployment", "node-a", "db", true);

    assertThat(again.isEmpty()).isTrue();
    assertThat(again.change()).isEqualTo(PinPatch.Change.NONE);
  }

  @Test
  void aNodeWalguardChoseByItselfNeverMovesAnExistingPinOfTheSameDatabase() {
    JsonNode original = deployment(null);
    JsonNode onA = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", false).ops());

    assertThat(PinPatch.kept(onA, "db", "node-b")).as("a choice from lagging caches").isEqualTo("node-a");
    assertThat(PinPatch.kept(onA, "other-db", "node-b")).as("another database's pin").isEqualTo("node-b");
    assertThat(PinPatch.kept(original, "db", "node-b")).as("nothing pinned yet").isEqualTo("node-b");
    assertThat(PinPatch.pin(onA, "Deployment", PinPatch.kept(onA, "db", "node-b"), "db", false).change())
        .isEqualTo(PinPatch.Change.NONE);
  }

  @Test
  void aMovedPinReplacesTheExpressionInPlace() {
    JsonNode original = deployment("""
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: arch, operator: In, values: [amd64]}]
        """);
    JsonNode onA = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", false).ops());

    PinPatch.Plan move = PinPatch.pin(onA, "Deployment", "node-b", "db", false);
    JsonNode onB = apply(onA, move.ops());

    assertThat(move.change()).isEqualTo(PinPatch.Change.MOVED);
    assertThat(move.previousNode()).isEqualTo("node-a");
    assertThat(onB.at("/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions"))
        .isEqualTo(yaml("[{key: arch, operator: In, values: [amd64]}, {key: kubernetes.io/hostname, operator: In, values: [node-b]}]"));
    assertThat(onB.at("/metadata/annotations/walguard.io~1pinned-node").asText()).isEqualTo("node-b");
    assertThat(stored(apply(onB, PinPatch.unpin(onB, "Deployment", "db").ops()))).isEqualTo(original);
  }

  @Test
  void aTermEditedAwayIsRestored() {
    JsonNode original = deployment(null);
    JsonNode pinned = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", false).ops());
    ((com.fasterxml.jackson.databind.node.ObjectNode) pinned.at("/spec/template/spec")).remove("affinity");

    PinPatch.Plan plan = PinPatch.pin(pinned, "Deployment", "node-a", "db", false);

    assertThat(plan.change()).isEqualTo(PinPatch.Change.RESTORED);
    assertThat(apply(pinned, plan.ops()).at("/spec/template/spec/affinity/nodeAffinity")).isNotEmpty();
  }

  @Test
  void aWorkloadOfTwoDatabasesKeepsItsPinUntilTheLastOneGoes() {
    JsonNode original = deployment(null);
    JsonNode byA = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db-a", false).ops());
    PinPatch.Plan joinB = PinPatch.pin(byA, "Deployment", "node-a", "db-b", false);
    JsonNode byBoth = apply(byA, joinB.ops());
    assertThat(joinB.change()).isEqualTo(PinPatch.Change.JOINED);

    PinPatch.Removal dropA = PinPatch.unpin(byBoth, "Deployment", "db-a");
    JsonNode byB = apply(byBoth, dropA.ops());

    assertThat(dropA.termRemoved()).isFalse();
    assertThat(byB.at("/spec/template/spec/affinity")).isEqualTo(byBoth.at("/spec/template/spec/affinity"));
    assertThat(byB.at("/metadata/annotations/walguard.io~1pinned-by").asText()).isEqualTo("db-b");
    assertThat(stored(apply(byB, PinPatch.unpin(byB, "Deployment", "db-b").ops()))).isEqualTo(original);
  }

  @Test
  void unpinningADatabaseThatNeverPinnedChangesNothing() {
    JsonNode original = deployment(null);
    JsonNode byA = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db-a", false).ops());

    assertThat(PinPatch.unpin(byA, "Deployment", "db-other").isEmpty()).isTrue();
  }

  @Test
  void otherAnnotationsSurviveThePinAndItsRemoval() {
    JsonNode original = deployment(null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("metadata")).putObject("annotations").put("team", "shop");

    JsonNode pinned = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", false).ops());
    assertThat(pinned.at("/metadata/annotations/team").asText()).isEqualTo("shop");

    assertThat(apply(pinned, PinPatch.unpin(pinned, "Deployment", "db").ops())).isEqualTo(original);
  }

  /** A workload whose only annotation is kubectl's last-applied configuration, and the same as the cache prunes it. */
  static JsonNode lastAppliedOnly(JsonNode workload) {
    JsonNode live = workload.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) live.path("metadata")).putObject("annotations")
        .put(CachePruner.LAST_APPLIED, "{\"kind\":\"Deployment\"}");
    return live;
  }

  @Test
  void walguardsAnnotationsAreRemovedKeyByKeyAndNeverTheWholeMap() {
    JsonNode live = lastAppliedOnly(deployment(null));
    JsonNode pinned = apply(live, PinPatch.pin(live, "Deployment", "node-a", "db", false).ops());
    // The pruned cache copy shows walguard's keys only: a plan made on it must still not take the map away.
    JsonNode pruned = pinned.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pruned.path("metadata").path("annotations"))
        .remove(CachePruner.LAST_APPLIED);

    ArrayNode ops = PinPatch.unpin(pruned, "Deployment", "db").ops();

    assertThat(ops).noneMatch(op -> op.path("path").asText().equals("/metadata/annotations"));
    JsonNode unpinned = apply(pinned, ops);
    assertThat(unpinned.at("/metadata/annotations")).isEqualTo(live.at("/metadata/annotations"));
    assertThat(unpinned).isEqualTo(live);
  }

  @Test
  void pinningAddsKeysToAnExistingMapAndCreatesTheMapOnlyWhenThereIsNone() {
    JsonNode live = lastAppliedOnly(deployment(null));
    ArrayNode onExisting = PinPatch.pin(live, "Deployment", "node-a", "db", false).ops();
    assertThat(onExisting).filteredOn(op -> op.path("path").asText().startsWith("/metadata/annotations"))
        .extracting(op -> op.path("path").asText())
        .containsExactlyInAnyOrder("/metadata/annotations/walguard.io~1pinned-node",
            "/metadata/annotations/walguard.io~1pinned-by");
    assertThat(apply(live, onExisting).at("/metadata/annotations/" + PinPatch.escape(CachePruner.LAST_APPLIED))
        .isTextual()).isTrue();

    ArrayNode onNone = PinPatch.pin(deployment(null), "Deployment", "node-a", "db", false).ops();
    assertThat(onNone).filteredOn(op -> op.path("path").asText().startsWith("/metadata/annotations"))
        .singleElement().satisfies(op -> assertThat(op.path("path").asText()).isEqualTo("/metadata/annotations"));
  }

  @Test
  void takingTheAppSwitchOutKeepsEveryOtherAnnotation() {
    JsonNode live = lastAppliedOnly(deployment(null));
    JsonNode set = apply(live, AppEnvPatch.set(live, "Deployment", "GF_DATABASE_WAL", "false"));
    assertThat(set.at("/spec/template/spec/containers/0/env/0/name").asText()).isEqualTo("GF_DATABASE_WAL");

    ArrayNode ops = AppEnvPatch.unset(set, "Deployment");

    assertThat(ops).noneMatch(op -> op.path("path").asText().equals("/metadata/annotations"));
    JsonNode unset = apply(set, ops);
    assertThat(unset.at("/metadata/annotations")).isEqualTo(live.at("/metadata/annotations"));
  }

  @Test
  void aCronJobIsPinnedInItsJobTemplate() {
    JsonNode cron = yaml("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: backup, namespace: shop}
        spec:
          schedule: "0 * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: backup, image: backup:1}]
        """);

    JsonNode pinned = apply(cron, PinPatch.pin(cron, "CronJob", "node-a", "db", false).ops());

    assertThat(pinned.at("/spec/jobTemplate/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values/0").asText())
        .isEqualTo("node-a");
    assertThat(stored(apply(pinned, PinPatch.unpin(pinned, "CronJob", "db").ops()))).isEqualTo(cron);
  }

  static Stream<Arguments> rollouts() {
    return Stream.of(
        Arguments.of("no strategy (API defaults 25%/25%)", null, "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"),
        Arguments.of("explicit 25%/25%", "{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}",
            "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"),
        Arguments.of("surge 1, unavailable 1", "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}",
            "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"),
        Arguments.of("type only", "{type: RollingUpdate}", "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollouts")
  void aSingleReplicaRollingUpdateGetsMaxSurgeZeroAndDeletionRestoresIt(String description, String strategy,
      String expected) {
    JsonNode original = deployment(null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("spec")).put("replicas", 1);
    if (strategy != null) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("spec")).set("strategy", yaml(strategy));
    }

    PinPatch.Plan plan = PinPatch.pin(original, "Deployment", "node-a", "db", true);
    JsonNode pinned = apply(original, plan.ops());

    assertThat(plan.rollout()).isPresent();
    assertThat(pinned.at("/spec/strategy")).isEqualTo(yaml(expected));
    PinPatch.Removal removal = PinPatch.unpin(pinned, "Deployment", "db");
    assertThat(removal.rolloutRestored()).isTrue();
    assertThat(stored(apply(pinned, removal.ops()))).isEqualTo(original);
  }

  @Test
  void aRolloutThatCannotOverlapIsLeftAlone() {
    JsonNode original = deployment(null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("spec"))
        .set("strategy", yaml("{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}"));

    PinPatch.Plan plan = PinPatch.pin(original, "Deployment", "node-a", "db", true);

    assertThat(plan.rollout()).isEmpty();
    assertThat(apply(original, plan.ops()).at("/metadata/annotations").has(PinAnnotations.ROLLOUT_BEFORE_PIN)).isFalse();
  }

  @Test
  void aRecreateDeploymentIsLeftAlone() {
    JsonNode original = deployment(null);
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.path("spec")).set("strategy", yaml("{type: Recreate}"));

    assertThat(PinPatch.pin(original, "Deployment", "node-a", "db", true).rollout()).isEmpty();
  }

  @Test
  void aRolloutTheUserChangedAfterThePinIsNotRestoredOverTheirChange() {
    JsonNode original = deployment(null);
    JsonNode pinned = apply(original, PinPatch.pin(original, "Deployment", "node-a", "db", true).ops());
    ((com.fasterxml.jackson.databind.node.ObjectNode) pinned.at("/spec/strategy/rollingUpdate")).put("maxUnavailable", 0)
        .put("maxSurge", 2);

    PinPatch.Removal removal = PinPatch.unpin(pinned, "Deployment", "db");
    JsonNode after = apply(pinned, removal.ops());

    assertThat(removal.rolloutRestored()).isFalse();
    assertThat(after.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(2);
    assertThat(stored(after).at("/metadata/annotations").isMissingNode()).isTrue();
  }
}
